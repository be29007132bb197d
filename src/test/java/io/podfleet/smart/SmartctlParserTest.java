package io.podfleet.smart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmartctlParserTest {

    private final SmartctlParser parser = new SmartctlParser();

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"smartctl\": {", "[1, 2, 3]", "42", "{\"smartctl\": {}} trailing", "{\"a\":1,\"a\":2}"})
    void malformedInputIsAClearError(String input) {
        assertThatThrownBy(() -> parser.parse(input.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedSmartctlOutput.class)
                .hasMessageMatching("(not well-formed JSON|not a smartctl JSON document).*");
    }

    @Test
    void truncatedRealDocumentSaysWhereItStopped() {
        byte[] whole = Samples.bytes(Samples.EXOS_X16);
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        assertThatThrownBy(() -> parser.parse(half))
                .isInstanceOf(MalformedSmartctlOutput.class)
                .hasMessageContaining("line");
    }

    @Test
    void otherJsonIsNotTakenForSmartctl() {
        assertThatThrownBy(() -> parser.parse("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("no smartctl, device or devices section");
    }

    @Test
    void aFutureFormatVersionIsRefusedRatherThanMisread() {
        assertThatThrownBy(() -> parser.parse("{\"json_format_version\":[2,0],\"smartctl\":{}}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("json_format_version 2");
    }

    @Test
    void absurdNumbersAreDroppedAndMakeTheVerdictUnknown() throws Exception {
        String doc = """
                {"json_format_version":[1,0],"smartctl":{"exit_status":0},
                 "device":{"name":"/dev/sda","type":"sat","protocol":"ATA"},
                 "model_name":"X","serial_number":"S1","smart_status":{"passed":true},
                 "temperature":{"current":-5},
                 "ata_smart_attributes":{"table":[
                   {"id":5,"name":"Reallocated_Sector_Ct","value":100,"worst":100,"thresh":10,"raw":{"value":18446744073709551616,"string":"?"},"when_failed":"","flags":{"prefailure":true}},
                   {"id":197,"name":"Current_Pending_Sector","value":100,"worst":100,"thresh":0,"raw":{"value":-3,"string":"-3"},"when_failed":""}
                 ]}}
                """;
        DriveReading r = (DriveReading) parser.parse(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(r.attribute(5).orElseThrow().raw()).isNull();
        assertThat(r.attribute(197).orElseThrow().raw()).isNull();
        assertThat(r.temperatureC()).isNull();
        assertThat(r.anomalies()).hasSize(3);
        Verdict v = new HealthRules().judge(r, TemperatureLimits.DEFAULT);
        assertThat(v.health()).isEqualTo(Health.UNKNOWN);
        assertThat(v.reasons()).extracting(Reason::field).contains("ata_smart_attributes[5].raw.value");
    }

    @Test
    void sectionsOfTheWrongTypeAreIgnoredNotFatal() throws Exception {
        String doc = """
                {"json_format_version":[1,0],"smartctl":{"exit_status":"zero","messages":"oops"},
                 "device":"sda","model_name":7,"smart_status":{"passed":"yes"},
                 "ata_smart_attributes":{"table":{"id":5}},"nvme_smart_health_information_log":[1,2],
                 "power_on_time":{"hours":1.5},"user_capacity":{"bytes":"big"}}
                """;
        DriveReading r = (DriveReading) parser.parse(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(r.model()).isNull();
        assertThat(r.smartPassed()).isNull();
        assertThat(r.readable()).isFalse();
        assertThat(new HealthRules().judge(r, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.UNKNOWN);
    }

    @Test
    void aSleepingDriveIsReportedAsStandbyNotAsBroken() throws Exception {
        String doc = """
                {"json_format_version":[1,0],"smartctl":{"exit_status":2,
                 "messages":[{"string":"Device is in STANDBY mode, exit(2)","severity":"information"}]},
                 "device":{"name":"/dev/sdc","type":"sat","protocol":"ATA"}}
                """;
        DriveReading r = (DriveReading) parser.parse(doc.getBytes(StandardCharsets.UTF_8));
        assertThat(r.standby()).isTrue();
        Verdict v = new HealthRules().judge(r, TemperatureLimits.DEFAULT);
        assertThat(v.health()).isEqualTo(Health.UNKNOWN);
        assertThat(v.reasons().get(0).value()).contains("standby");
    }

    @Test
    void exitStatusBitsAreDecoded() {
        ExitStatus s = new ExitStatus(216);
        assertThat(s.diskFailing()).isTrue();
        assertThat(s.prefailAtThreshold()).isTrue();
        assertThat(s.errorLogHasEntries()).isTrue();
        assertThat(s.selfTestLogHasErrors()).isTrue();
        assertThat(s.unreadable()).isFalse();
        assertThat(s.describe()).hasSize(4);
        assertThat(new ExitStatus(2).unreadable()).isTrue();
    }
}

package io.podfleet.platform.json;

import io.podfleet.protocol.v1.HostReport;
import io.podfleet.smart.DriveReading;
import io.podfleet.smart.SmartctlParser;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records read through the cached constructor handle come out as Jackson's own path makes them, errors included. */
class RecordConstructorsTest {

    /** As the server's (application.yml): a field left out reads as its default. */
    private static final JsonMapper PLAIN = JsonMapper.builder().findAndAddModules()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES).build();
    private static final JsonMapper WITH_HANDLES = PLAIN.rebuild().addModule(new RecordConstructors()).build();

    record Checked(String name, int count, boolean flag) {
        Checked {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative");
            }
        }
    }

    @Test
    void readsRealDriveReadingsAsJacksonDoes() throws Exception {
        try (var samples = Files.list(Path.of("src/test/resources/smart-samples"))) {
            List<Path> files = samples.filter(f -> f.toString().endsWith(".json")).sorted().limit(25).toList();
            assertThat(files).isNotEmpty();
            for (Path file : files) {
                if (!(new SmartctlParser().parse(Files.readAllBytes(file)) instanceof DriveReading reading)) {
                    continue;
                }
                String json = PLAIN.writeValueAsString(reading);
                assertThat(WITH_HANDLES.readValue(json, DriveReading.class)).as(file.toString())
                        .isEqualTo(PLAIN.readValue(json, DriveReading.class));
            }
        }
    }

    @Test
    void missingPrimitivesGetTheirDefaultsAndAWrongTypeNamesItsField() {
        assertThat(WITH_HANDLES.readValue("{\"name\":\"a\"}", Checked.class)).isEqualTo(new Checked("a", 0, false));
        assertThatThrownBy(() -> WITH_HANDLES.readValue("{\"name\":\"a\",\"count\":\"many\"}", Checked.class))
                .isInstanceOf(MismatchedInputException.class).hasMessageContaining("count");
    }

    @Test
    void aConstructorThatRefusesItsArgumentsFailsAsWithJackson() {
        assertThatThrownBy(() -> WITH_HANDLES.readValue("{\"name\":\"a\",\"count\":-1}", Checked.class))
                .isInstanceOf(ValueInstantiationException.class).hasMessageContaining("count must not be negative")
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(java.util.Arrays.toString(e.getCause().getStackTrace()))
                        .as("built through the handle").contains("RecordConstructors$Spread.createFromObjectWith"));
        assertThatThrownBy(() -> PLAIN.readValue("{\"name\":\"a\",\"count\":-1}", Checked.class))
                .isInstanceOf(ValueInstantiationException.class);
    }

    @Test
    void aWholeReportReadsTheSame() {
        String report = """
                {"reportId":"11111111-2222-3333-4444-555555555555","hostId":"7","takenAt":"2026-12-01T00:00:00Z",
                 "drives":[{"slot":3,"slotSource":"by-path","reading":{"serial":"S1","model":"X","driveInterface":"ATA",
                   "ataAttributes":[{"id":5,"name":"Reallocated_Sector_Ct","value":100,"raw":8,"prefailure":true}]}}],
                 "shards":[{"slot":3,"mountPoint":"/data/3","mounted":true,"totalBytes":10,"usedBytes":4,"freeBytes":6}]}""";
        assertThat(WITH_HANDLES.readValue(report, HostReport.class)).isEqualTo(PLAIN.readValue(report, HostReport.class));
    }
}

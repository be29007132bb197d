package io.podfleet.fleet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HardwareProfilesTest {

    @Test
    void shippedProfilesLoadWithTheirLayouts() {
        HardwareProfiles profiles = new HardwareProfiles((Path) null);
        assertThat(profiles.all()).extracting(HardwareProfile::id).contains(
                "backblaze-pod-6.0", "backblaze-pod-5.0", "supermicro-ssg-6049p-e1cr60l",
                "supermicro-pio-5049p-e1cr60l", "dell-r740xd2");
        HardwareProfile pod6 = profiles.find("backblaze-pod-6.0").orElseThrow();
        assertThat(pod6.driveBays()).isEqualTo(60);
        assertThat(pod6.bayLayout().rows() * pod6.bayLayout().columns()).isEqualTo(60);
        assertThat(profiles.find("backblaze-pod-5.0").orElseThrow().driveBays()).isEqualTo(45);
        assertThat(profiles.find("supermicro-pio-5049p-e1cr60l").orElseThrow().sockets()).isEqualTo(1);
        assertThat(profiles.find("dell-r740xd2").orElseThrow().driveBays()).isEqualTo(26);
    }

    @Test
    void supermicroDefaultsImplyTwoCentsPerGigabyte() {
        HardwareProfile ssg = new HardwareProfiles((Path) null).find("supermicro-ssg-6049p-e1cr60l").orElseThrow();
        // (3,600 + 60 x 260) USD / (60 x 16,000 GB) = 19,200 / 960,000
        assertThat(ssg.defaultCostPerRawGb()).isEqualByComparingTo(new BigDecimal("0.02"));
    }

    @Test
    void missingFieldIsNamedWithTheFile() {
        String yaml = valid("pod-x").replace("drive-bays: 60\n", "");
        assertThatThrownBy(() -> read("pod-x.yaml", yaml))
                .isInstanceOf(InvalidHardwareProfile.class)
                .hasMessage("pod-x.yaml: drive-bays: is required");
    }

    @Test
    void wrongTypeIsNamedWithTheFile() {
        String yaml = valid("pod-x").replace("rows: 4", "rows: four");
        assertThatThrownBy(() -> read("pod-x.yaml", yaml))
                .isInstanceOf(InvalidHardwareProfile.class)
                .satisfies(e -> assertThat(((InvalidHardwareProfile) e).field()).isEqualTo("bay-layout.rows"))
                .hasMessageStartingWith("pod-x.yaml: bay-layout.rows:");
    }

    @Test
    void misspelledFieldIsRefusedRatherThanIgnored() {
        String yaml = valid("pod-x").replace("psus: 2", "psu: 2");
        assertThatThrownBy(() -> read("pod-x.yaml", yaml))
                .hasMessageStartingWith("pod-x.yaml: psu:");
    }

    @Test
    void crossFieldRulesAreChecked() {
        assertThatThrownBy(() -> read("pod-x.yaml", valid("pod-x").replace("drive-warn-c: 45", "drive-warn-c: 60")))
                .hasMessage("pod-x.yaml: temperature.warn-below-critical: drive-warn-c must be below drive-critical-c");
        assertThatThrownBy(() -> read("pod-x.yaml", valid("pod-x").replace("columns: 15", "columns: 10")))
                .hasMessage("pod-x.yaml: layout-large-enough: bay-layout rows x columns must hold every drive bay");
        assertThatThrownBy(() -> read("pod-y.yaml", valid("pod-x")))
                .hasMessage("pod-y.yaml: id: must match the file name ('pod-y')");
    }

    @Test
    void operatorsAddModelsInAnExtraFolder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("acme-90.yaml"), valid("acme-90"));
        HardwareProfiles profiles = new HardwareProfiles(dir);
        assertThat(profiles.find("acme-90")).isPresent();
        assertThat(profiles.find("backblaze-pod-6.0")).isPresent();
    }

    @Test
    void anExtraFileCannotRedefineAShippedModel(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("backblaze-pod-6.0.yaml"), valid("backblaze-pod-6.0"));
        assertThatThrownBy(() -> new HardwareProfiles(dir))
                .isInstanceOf(InvalidHardwareProfile.class)
                .hasMessageContaining("'backblaze-pod-6.0' is already defined by hardware-profiles/backblaze-pod-6.0.yaml");
    }

    private static HardwareProfile read(String file, String yaml) {
        return HardwareProfileReader.read(file, new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static String valid(String id) {
        return """
                id: %s
                vendor: Acme
                model: Test 60
                form-factor: 4U
                drive-bays: 60
                bay-layout:
                  rows: 4
                  columns: 15
                  numbering: row-major
                  first-slot: 0
                drive-interface: SATA
                smartctl:
                  device-type: sat
                sockets: 1
                max-memory-gb: 32
                psus: 2
                temperature:
                  drive-warn-c: 45
                  drive-critical-c: 55
                cost:
                  currency: USD
                  chassis: 3000
                  per-drive: 200
                typical-drive-capacity-bytes: 8000000000000
                """.formatted(id);
    }
}

package io.podfleet.fleet;

import io.podfleet.smart.DriveReading;
import io.podfleet.smart.Health;
import io.podfleet.smart.HealthRules;
import io.podfleet.smart.SmartctlParser;
import io.podfleet.smart.TemperatureLimits;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SMART thresholds as operators write them in server configuration. */
class SmartSettingsTest {

    @Test
    void attributeAndPerModelOverridesReachTheRules() throws Exception {
        SmartSettings settings = new Binder(new MapConfigurationPropertySource(Map.of(
                "podfleet.smart.attributes.188.warn-at", "10",
                "podfleet.smart.attributes.188.failing-at", "500",
                "podfleet.smart.models[0].pattern", "^ST18000",
                "podfleet.smart.models[0].attributes.188.warn-at", "100",
                "podfleet.smart.models[0].attributes.188.failing-at", "1000")))
                .bind("podfleet.smart", SmartSettings.class).get();
        HealthRules rules = new HealthRules(settings.thresholds());

        DriveReading exos = read("prometheus-community__smartctl_exporter__testdata__sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json");
        assertThat(rules.judge(exos, TemperatureLimits.DEFAULT).health())
                .as("12 command timeouts reach the stricter fleet-wide 188 limit").isEqualTo(Health.WARNING);
        assertThat(new HealthRules().judge(exos, TemperatureLimits.DEFAULT).health()).isEqualTo(Health.HEALTHY);
        DriveReading st18 = io.podfleet.smart.HealthRulesTestAccess.withRaw(
                read("prometheus-community__smartctl_exporter__testdata__sat-null-ST18000NM000J-2TV103-sda.json"), 188, 12);
        assertThat(rules.judge(st18, TemperatureLimits.DEFAULT).health()).as("the model's own limit wins").isEqualTo(Health.HEALTHY);
    }

    private static DriveReading read(String sample) throws Exception {
        return (DriveReading) new SmartctlParser().parse(Files.readAllBytes(Path.of("src/test/resources/smart-samples", sample)));
    }
}

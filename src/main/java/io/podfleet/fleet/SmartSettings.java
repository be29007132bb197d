package io.podfleet.fleet;

import io.podfleet.smart.HealthRules;
import io.podfleet.smart.SmartThresholds;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts at which drives become WARNING and FAILING (docs/smart.md), as server configuration: overrides of the
 * default buckets by ATA attribute id, then per-model overrides, the first matching pattern winning.
 *
 * <pre>
 * podfleet.smart.attributes.188.warn-at: 50
 * podfleet.smart.attributes.188.failing-at: 500
 * podfleet.smart.models[0].pattern: ^ST18000
 * podfleet.smart.models[0].attributes.5.warn-at: 20
 * podfleet.smart.models[0].attributes.5.failing-at: 500
 * </pre>
 */
@ConfigurationProperties("podfleet.smart")
record SmartSettings(Map<Integer, SmartThresholds.Limit> attributes, List<ModelLimits> models) {

    record ModelLimits(String pattern, Map<Integer, SmartThresholds.Limit> attributes) {
    }

    SmartThresholds thresholds() {
        SmartThresholds d = SmartThresholds.DEFAULT;
        Map<Integer, SmartThresholds.Limit> merged = new HashMap<>(d.attributes());
        if (attributes != null) {
            merged.putAll(attributes);
        }
        SmartThresholds t = new SmartThresholds(merged, d.nvmeMediaErrors(), d.scsiGrownDefects(), d.scsiUncorrected(),
                d.nvmePercentageUsedWarn(), List.of());
        for (ModelLimits m : models == null ? List.<ModelLimits>of() : models) {
            if (m.pattern() == null || m.attributes() == null) {
                throw new IllegalArgumentException("podfleet.smart.models[]: each entry needs a pattern and attributes");
            }
            t = t.withOverride(new SmartThresholds.ModelOverride(m.pattern(), m.attributes()));
        }
        return t;
    }

    @Configuration(proxyBeanMethods = false)
    static class Rules {
        @Bean
        HealthRules healthRules(SmartSettings settings) {
            return new HealthRules(settings.thresholds());
        }
    }
}

package io.podfleet.smart;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The counts at which a counter makes a drive WARNING or FAILING: defaults, then overrides for models whose name
 * matches a pattern (the first matching override wins, attribute by attribute).
 *
 * <p>Default buckets and why (docs/smart.md has the table):
 * <ul>
 *   <li>5 reallocated sectors: warn at 1, failing at 100. Any remap means the surface is wearing; a hundred means
 *       the spare pool is being consumed steadily.</li>
 *   <li>187 reported uncorrectable: warn at 1, failing at 10. Each one is a read the drive could not serve.</li>
 *   <li>188 command timeouts (low 16 bits): warn at 100, failing at 1,000. Link resets on backplanes leave
 *       single or double-digit counts on healthy drives; Backblaze found 188 a weak predictor on its own.</li>
 *   <li>197 pending sectors: warn at 1, failing at 50. Unreadable sectors waiting to be remapped.</li>
 *   <li>198 offline uncorrectable: warn at 1, failing at 10.</li>
 *   <li>NVMe media errors: warn at 1, failing at 100. SAS grown defects: warn at 1, failing at 100. SAS uncorrected
 *       read/write/verify errors: warn at 1, failing at 10.</li>
 * </ul>
 */
public record SmartThresholds(Map<Integer, Limit> attributes, Limit nvmeMediaErrors, Limit scsiGrownDefects,
                              Limit scsiUncorrected, int nvmePercentageUsedWarn, List<ModelOverride> overrides) {

    /** A counter's value at which the drive becomes WARNING and FAILING. */
    public record Limit(long warnAt, long failingAt) {
        public Limit {
            if (warnAt < 1 || failingAt < warnAt) {
                throw new IllegalArgumentException("need 1 <= warnAt <= failingAt, got " + warnAt + ", " + failingAt);
            }
        }

        Health judge(long count) {
            return count >= failingAt ? Health.FAILING : count >= warnAt ? Health.WARNING : Health.HEALTHY;
        }
    }

    /** Limits for the ATA attributes of models matching {@code modelPattern} (a regular expression). */
    public record ModelOverride(String modelPattern, Map<Integer, Limit> attributes) {
        public ModelOverride {
            Pattern.compile(modelPattern);
            attributes = Map.copyOf(attributes);
        }

        boolean matches(String model) {
            return model != null && Pattern.compile(modelPattern).matcher(model).find();
        }
    }

    /** The Backblaze five: the attributes that predict failure. */
    public static final List<Integer> WATCHED = List.of(5, 187, 188, 197, 198);

    public static final SmartThresholds DEFAULT = new SmartThresholds(
            Map.of(5, new Limit(1, 100), 187, new Limit(1, 10), 188, new Limit(100, 1000),
                    197, new Limit(1, 50), 198, new Limit(1, 10)),
            new Limit(1, 100), new Limit(1, 100), new Limit(1, 10), 90, List.of());

    public SmartThresholds {
        attributes = Map.copyOf(attributes);
        overrides = List.copyOf(overrides);
    }

    public SmartThresholds withOverride(ModelOverride override) {
        List<ModelOverride> all = new java.util.ArrayList<>(overrides);
        all.add(override);
        return new SmartThresholds(attributes, nvmeMediaErrors, scsiGrownDefects, scsiUncorrected, nvmePercentageUsedWarn, all);
    }

    /** The attribute limits that apply to one model. */
    Map<Integer, Limit> attributeLimits(String model) {
        Map<Integer, Limit> limits = new HashMap<>(attributes);
        for (int i = overrides.size() - 1; i >= 0; i--) {
            if (overrides.get(i).matches(model)) {
                limits.putAll(overrides.get(i).attributes());
            }
        }
        // earlier overrides were applied last, so the first matching one wins
        return limits;
    }
}

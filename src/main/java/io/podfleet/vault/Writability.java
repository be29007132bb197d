package io.podfleet.vault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Whether a vault takes uploads, and every reason it does not. */
public record Writability(boolean writable, List<String> reasons) {

    /**
     * A vault takes writes when it is BURN_IN or ACTIVE, at most one member is unavailable, no tome is CRITICAL or
     * worse, and utilization is under the full threshold.
     */
    static Writability judge(VaultState state, int unavailableMembers, TomeHealth worstTome, int tomesCriticalOrWorse,
                             double utilization, double fullThreshold) {
        List<String> reasons = new ArrayList<>();
        if (!state.takesWrites()) {
            reasons.add("vault is " + state);
        }
        if (unavailableMembers > 1) {
            reasons.add(unavailableMembers + " members unavailable (at most 1 for writes)");
        }
        if (worstTome.compareTo(TomeHealth.CRITICAL) >= 0) {
            reasons.add(tomesCriticalOrWorse + (tomesCriticalOrWorse == 1 ? " tome is " : " tomes are ") + worstTome
                    + (worstTome == TomeHealth.CRITICAL ? " (no redundancy left)" : " (data lost)"));
        }
        if (utilization >= fullThreshold) {
            reasons.add(String.format(Locale.ROOT, "utilization %.1f %% is at or above the full threshold %.1f %%",
                    utilization * 100, fullThreshold * 100));
        }
        return new Writability(reasons.isEmpty(), List.copyOf(reasons));
    }
}

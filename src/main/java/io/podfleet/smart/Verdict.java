package io.podfleet.smart;

import java.util.Comparator;
import java.util.List;

/** The judgement of one reading: the worst severity among its reasons, and the reasons, worst first. */
public record Verdict(Health health, List<Reason> reasons) {

    public Verdict {
        reasons = reasons.stream()
                .sorted(Comparator.comparing(Reason::severity).reversed())
                .toList();
    }

    static Verdict of(List<Reason> reasons) {
        Health health = Health.HEALTHY;
        for (Reason r : reasons) {
            health = health.worst(r.severity());
        }
        return new Verdict(health, reasons);
    }
}

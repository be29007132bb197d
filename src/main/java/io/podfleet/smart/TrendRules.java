package io.podfleet.smart;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Judges a short history of readings of one drive, oldest first. Growth is a stronger sign than a count: a
 * reallocated, pending, grown-defect or media-error count that rose is WARNING; one that rose by
 * {@code failingGrowth} or more, or rose in {@code failingSteps} successive readings, is FAILING.
 */
public final class TrendRules {

    private final long failingGrowth;
    private final int failingSteps;

    public TrendRules(long failingGrowth, int failingSteps) {
        if (failingGrowth < 1 || failingSteps < 2) {
            throw new IllegalArgumentException("need failingGrowth >= 1 and failingSteps >= 2");
        }
        this.failingGrowth = failingGrowth;
        this.failingSteps = failingSteps;
    }

    public TrendRules() {
        this(10, 3);
    }

    /** The counters trends watch, from one reading or one stored sample; null where not reported. */
    public record Point(Long reallocated, Long pending, Long grownDefects, Long mediaErrors) {
        public static Point of(DriveReading r) {
            return new Point(ata(r, 5), ata(r, 197), r.scsi() == null ? null : r.scsi().grownDefects(),
                    r.nvme() == null ? null : r.nvme().mediaErrors());
        }
    }

    private record Counter(String field, Function<Point, Long> read) {
    }

    private static final List<Counter> COUNTERS = List.of(
            new Counter("attribute 5 Reallocated_Sector_Ct", Point::reallocated),
            new Counter("attribute 197 Current_Pending_Sector", Point::pending),
            new Counter("scsi_grown_defect_list", Point::grownDefects),
            new Counter("nvme_smart_health_information_log.media_errors", Point::mediaErrors));

    /** The reasons the history adds. */
    public List<Reason> judge(List<DriveReading> history) {
        return judgePoints(history.stream().filter(DriveReading::readable).map(Point::of).toList());
    }

    /** The reasons a history of counter points adds, oldest first. */
    public List<Reason> judgePoints(List<Point> history) {
        // one pass per counter, no streams: it runs for every drive of every report
        List<Reason> reasons = new ArrayList<>();
        for (Counter c : COUNTERS) {
            long first = 0;
            long last = 0;
            int values = 0;
            int rise = 0;
            int longestRise = 0;
            for (Point p : history) {
                Long value = c.read().apply(p);
                if (value == null) {
                    continue;
                }
                if (values++ == 0) {
                    first = value;
                } else {
                    rise = value > last ? rise + 1 : 0;
                    longestRise = Math.max(longestRise, rise);
                }
                last = value;
            }
            if (values < 2 || last <= first) {
                continue;
            }
            boolean failing = last - first >= failingGrowth || longestRise >= failingSteps;
            reasons.add(new Reason(failing ? Health.FAILING : Health.WARNING, c.field(),
                    first + " -> " + last + " over " + values + " readings",
                    failing ? "growing: by " + failingGrowth + " or more, or in " + failingSteps + " successive readings"
                            : "grew"));
        }
        return reasons;
    }

    /** The verdict of the newest reading, escalated by what the history shows. */
    public Verdict escalate(Verdict latest, List<DriveReading> history) {
        List<Reason> all = new ArrayList<>(latest.reasons());
        all.addAll(judge(history));
        return Verdict.of(all);
    }

    /** The verdict of the newest reading, escalated by a stored history (oldest first, newest included). */
    public Verdict escalatePoints(Verdict latest, List<Point> history) {
        List<Reason> all = new ArrayList<>(latest.reasons());
        all.addAll(judgePoints(history));
        return Verdict.of(all);
    }

    private static Long ata(DriveReading r, int id) {
        return r.attribute(id).map(a -> AtaRules.count(a, r)).orElse(null);
    }
}

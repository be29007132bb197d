package io.podfleet.accounting;

import io.podfleet.vault.VaultSettings;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import java.sql.Date;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The read side of accounting, shared by the REST API and the dashboard: ingestion by day, cost over time, AFR. */
@Service
public class AccountingReports {

    /** One vault's day; {@code storedBytesGrowth} against the vault's previous day with stored bytes, or null. */
    public record IngestionDay(int vaultId, LocalDate day, long bytes, long files, int completed, int failed, int abandoned,
                               int peakConnections, Long storedBytes, Long storedBytesGrowth) {
    }

    /**
     * One group's failure figures over the range: drives on the group's last day in it, drive days, failures and
     * {@code afr} in percent.
     */
    public record AfrItem(String model, Long capacityBytes, long driveCount, long driveDays, long failures, double afr) {
    }

    public record AfrAnswer(LocalDate from, LocalDate to, long minDriveDays, String by, List<AfrItem> items) {
    }

    public record ProfileCost(String profileId, Cost cost) {
    }

    public record MonthCost(YearMonth month, Cost cost) {
    }

    private final JdbcClient jdbc;
    private final CostBook book;
    private final VaultSettings vaults;
    private final Clock clock;

    AccountingReports(JdbcClient jdbc, CostBook book, VaultSettings vaults, Clock clock) {
        this.jdbc = jdbc;
        this.book = book;
        this.vaults = vaults;
        this.clock = clock;
    }

    /** Daily ingestion of the given vaults (all when null or empty) from {@code from} to {@code to}, by vault and day. */
    public List<IngestionDay> ingestion(List<Integer> vaultIds, LocalDate from, LocalDate to) {
        if (to.isBefore(from) || from.plusDays(366).isBefore(to)) { // a year of a large fleet is already 10^5 rows
            throw new AccountingProblems.InvalidField("to", "must be from 0 to 366 days after from");
        }
        Integer[] ids = vaultIds == null || vaultIds.isEmpty() ? null : vaultIds.toArray(Integer[]::new);
        return jdbc.sql("""
                        SELECT vault_id, day, bytes, files, completed, failed, abandoned, peak_connections, stored_bytes,
                          stored_bytes - lag(stored_bytes) OVER (PARTITION BY vault_id ORDER BY day)
                        FROM ingestion_day WHERE (?::int[] IS NULL OR vault_id = ANY(?::int[])) AND day BETWEEN ?::date - 1 AND ?::date
                        ORDER BY vault_id, day""")
                .params(ids, ids, Date.valueOf(from), Date.valueOf(to))
                .query((rs, i) -> new IngestionDay(rs.getInt(1), rs.getDate(2).toLocalDate(), rs.getLong(3), rs.getLong(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getInt(8), (Long) rs.getObject(9), (Long) rs.getObject(10)))
                .list().stream().filter(d -> !d.day().isBefore(from)).toList();
    }

    /** Annualized failure rates by {@code model} or {@code capacity} over a date range, from the per-day groups. */
    public AfrAnswer afr(LocalDate from, LocalDate to, long minDriveDays, String by) {
        if (to.isBefore(from)) {
            throw new AccountingProblems.InvalidField("to", "must not be before from");
        }
        if (!by.equals("model") && !by.equals("capacity")) {
            throw new AccountingProblems.InvalidField("by", "must be model or capacity");
        }
        String group = by.equals("model") ? "model" : "capacity_bytes";
        // drive days and failures add up over days; the drive count is the group's drives on its last day in the
        // range, as Drive Stats tables count drives at a period's end
        List<AfrItem> items = jdbc.sql("""
                        WITH g AS (SELECT %1$s AS key, day, sum(drives) AS drives, sum(failures) AS failures
                                   FROM drive_day_group WHERE day BETWEEN ? AND ? GROUP BY 1, 2)
                        SELECT key, (array_agg(drives ORDER BY day DESC))[1], sum(drives), sum(failures)
                        FROM g GROUP BY key HAVING sum(drives) >= ? ORDER BY key""".formatted(group))
                .params(Date.valueOf(from), Date.valueOf(to), minDriveDays)
                .query((rs, i) -> {
                    long days = rs.getLong(3);
                    long failures = rs.getLong(4);
                    if (by.equals("model")) {
                        return new AfrItem(rs.getString(1), null, rs.getLong(2), days, failures, Afr.percent(failures, days));
                    }
                    long capacity = rs.getLong(1);
                    return new AfrItem(null, capacity < 0 ? null : capacity, rs.getLong(2), days, failures, Afr.percent(failures, days));
                })
                .list();
        return new AfrAnswer(from, to, minDriveDays, by, items);
    }

    /** Cost now of each hardware profile's cohort of hosts in service. */
    public List<ProfileCost> profiles() {
        CostBook.Book b = book.load("h.admin_state <> 'DECOMMISSIONED'");
        Instant now = clock.instant();
        return CostBook.profileIds(b).stream().map(p -> new ProfileCost(p, book.at(b, now, h -> p.equals(h.profileId()),
                vaults.dataShards(), vaults.dataShards() + vaults.parityShards()))).toList();
    }

    /** The cohort of a hardware profile month by month: cost and capacity as they stood at each month's end. */
    public List<MonthCost> monthly(String profile, YearMonth from, YearMonth to) {
        if (to.isBefore(from) || from.plusMonths(240).isBefore(to)) {
            throw new AccountingProblems.InvalidField("to", "must be from 0 to 240 months after from");
        }
        CostBook.Book b = book.load("h.profile_id = ?", profile);
        List<MonthCost> out = new ArrayList<>();
        for (YearMonth m = from; !m.isAfter(to); m = m.plusMonths(1)) {
            Instant end = m.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1);
            out.add(new MonthCost(m, book.at(b, end, h -> true, vaults.dataShards(), vaults.dataShards() + vaults.parityShards())));
        }
        return out;
    }
}

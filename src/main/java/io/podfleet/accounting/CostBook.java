package io.podfleet.accounting;

import io.podfleet.fleet.HardwareProfile;
import io.podfleet.fleet.HardwareProfiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What hosts cost at a moment, and what raw capacity they held then. A host's cost is its chassis (the recorded
 * purchases, else the price provisioning gave, else its profile's) plus every drive that has been in it by then,
 * replaced ones included (recorded price per serial, else the profile's per-drive price); its raw capacity is the
 * drives in it at that moment.
 */
@Component
class CostBook {

    /** A host as costing needs it; {@code chassis} null when neither recorded nor given at provisioning. */
    record Host(long id, String profileId, Instant createdAt, BigDecimal chassis, String currency) {
    }

    /** A drive that has been in a host: when it came, when it left (replaced or removed), what it cost if recorded. */
    record Drive(long hostId, Long capacityBytes, Instant firstSeen, Instant leftAt, BigDecimal recorded) {
    }

    /** Hosts and their drives, loaded once for any number of moments. */
    record Book(List<Host> hosts, Map<Long, List<Drive>> drives) {
    }

    private final JdbcClient jdbc;
    private final HardwareProfiles profiles;

    CostBook(JdbcClient jdbc, HardwareProfiles profiles) {
        this.jdbc = jdbc;
        this.profiles = profiles;
    }

    /** Hosts chosen by a SQL condition on {@code h} (with its parameters), and their drives. */
    Book load(String where, Object... params) {
        List<Host> hosts = jdbc.sql("""
                        SELECT h.id, h.profile_id, h.created_at,
                          COALESCE((SELECT sum(amount) FROM purchase p WHERE p.kind = 'CHASSIS' AND p.host_id = h.id), h.purchase_cost),
                          COALESCE((SELECT min(currency) FROM purchase p WHERE p.kind = 'CHASSIS' AND p.host_id = h.id), h.purchase_currency)
                        FROM host h WHERE """ + " " + where)
                .params(params)
                .query((rs, i) -> new Host(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant(), rs.getBigDecimal(4), rs.getString(5)))
                .list();
        Map<Long, List<Drive>> drives = new HashMap<>();
        if (!hosts.isEmpty()) {
            jdbc.sql("""
                            SELECT d.host_id, d.capacity_bytes, d.first_seen_at,
                              (SELECT min(e.at) FROM drive_event e WHERE e.drive_id = d.id AND e.to_state IN ('REPLACED', 'REMOVED')),
                              (SELECT sum(amount) FROM purchase p WHERE p.kind = 'DRIVE' AND p.drive_serial = d.serial)
                            FROM drive d WHERE d.host_id = ANY(?)""")
                    .param(hosts.stream().map(Host::id).toArray(Long[]::new))
                    .query(rs -> {
                        Timestamp left = rs.getTimestamp(4);
                        drives.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new Drive(rs.getLong(1),
                                (Long) rs.getObject(2), rs.getTimestamp(3).toInstant(), left == null ? null : left.toInstant(),
                                rs.getBigDecimal(5)));
                    });
        }
        return new Book(hosts, drives);
    }

    /** The cost of the book's hosts (those matching {@code include}) as of {@code at}. */
    Cost at(Book book, Instant at, Predicate<Host> include, int data, int width) {
        BigDecimal amount = BigDecimal.ZERO;
        long raw = 0;
        Set<String> currencies = new HashSet<>();
        for (Host h : book.hosts()) {
            if (!include.test(h) || h.createdAt().isAfter(at)) {
                continue;
            }
            HardwareProfile profile = h.profileId() == null ? null : profiles.find(h.profileId()).orElse(null);
            BigDecimal chassis = h.chassis() != null ? h.chassis() : profile == null ? BigDecimal.ZERO : profile.cost().chassis();
            currencies.add(h.chassis() != null && h.currency() != null ? h.currency() : profile == null ? "USD" : profile.cost().currency());
            amount = amount.add(chassis);
            for (Drive d : book.drives().getOrDefault(h.id(), List.of())) {
                if (d.firstSeen().isAfter(at)) {
                    continue;
                }
                amount = amount.add(d.recorded() != null ? d.recorded() : profile == null ? BigDecimal.ZERO : profile.cost().perDrive());
                if ((d.leftAt() == null || d.leftAt().isAfter(at)) && d.capacityBytes() != null) {
                    raw += d.capacityBytes();
                }
            }
        }
        String currency = currencies.size() == 1 ? currencies.iterator().next() : currencies.isEmpty() ? "USD" : "MIXED";
        return Cost.of(amount, currency, raw, data, width);
    }

    static Collection<String> profileIds(Book book) {
        return book.hosts().stream().map(Host::profileId).filter(java.util.Objects::nonNull).distinct().sorted().toList();
    }
}

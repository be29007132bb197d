package io.podfleet.vault;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The history of each vault: lifecycle, membership, health, writability and tome health changes. */
@Component
class VaultEvents {

    /** One event as the API shows it; {@code tome} is set for tome health changes. */
    record Event(long id, int vaultId, Instant at, String kind, Integer tome, String from, String to, String detail) {
    }

    private final JdbcClient jdbc;

    VaultEvents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void add(int vaultId, Instant at, String kind, Integer tome, Object from, Object to, String detail) {
        jdbc.sql("INSERT INTO vault_event (vault_id, at, kind, tome, from_value, to_value, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(vaultId, Timestamp.from(at), kind, tome, from == null ? null : from.toString(),
                        to == null ? null : to.toString(), detail)
                .update();
    }

    /** The newest events of a vault, newest first; {@code beforeId} pages further back. */
    List<Event> of(int vaultId, Long beforeId, int limit) {
        return jdbc.sql("""
                        SELECT id, vault_id, at, kind, tome, from_value, to_value, detail FROM vault_event
                        WHERE vault_id = ? AND (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?""")
                .params(vaultId, beforeId, beforeId, limit)
                .query((rs, i) -> new Event(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        (Integer) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list();
    }
}

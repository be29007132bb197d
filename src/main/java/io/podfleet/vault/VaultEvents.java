package io.podfleet.vault;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The history of each vault: lifecycle, membership, health, writability and tome health changes. */
@Component
public class VaultEvents {

    /** One event as the API shows it; {@code tome} is set for tome health changes. */
    public record Event(long id, int vaultId, Instant at, String kind, Integer tome, String from, String to, String detail) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    VaultEvents(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /**
     * Adds an event to the current transaction. Events are held and written together just before it commits (one
     * statement for a re-assessment that changed many tomes), so they commit or roll back with the change.
     */
    void add(int vaultId, Instant at, String kind, Integer tome, Object from, Object to, String detail) {
        Pending pending = pending();
        pending.rows.add(new Object[]{vaultId, Timestamp.from(at), kind, tome, from == null ? null : from.toString(),
                to == null ? null : to.toString(), detail});
    }

    private Pending pending() {
        Object key = this;
        Pending pending = (Pending) TransactionSynchronizationManager.getResource(key);
        if (pending == null) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                throw new IllegalStateException("vault events are written inside a transaction");
            }
            Pending fresh = new Pending();
            TransactionSynchronizationManager.bindResource(key, fresh);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void beforeCommit(boolean readOnly) {
                    if (!fresh.rows.isEmpty()) {
                        template.batchUpdate("INSERT INTO vault_event (vault_id, at, kind, tome, from_value, to_value, detail)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)", fresh.rows);
                        fresh.rows.clear();
                    }
                }

                @Override
                public void afterCompletion(int status) {
                    TransactionSynchronizationManager.unbindResourceIfPossible(key);
                }

                @Override
                public void suspend() {
                    TransactionSynchronizationManager.unbindResource(key);
                }

                @Override
                public void resume() {
                    TransactionSynchronizationManager.bindResource(key, fresh);
                }
            });
            pending = fresh;
        }
        return pending;
    }

    private static final class Pending {
        final List<Object[]> rows = new ArrayList<>();
    }

    /** The newest events of a vault, newest first; {@code beforeId} pages further back. */
    public List<Event> of(int vaultId, Long beforeId, int limit) {
        return jdbc.sql("""
                        SELECT id, vault_id, at, kind, tome, from_value, to_value, detail FROM vault_event
                        WHERE vault_id = ? AND (?::bigint IS NULL OR id < ?) ORDER BY id DESC LIMIT ?""")
                .params(vaultId, beforeId, beforeId, limit)
                .query((rs, i) -> new Event(rs.getLong(1), rs.getInt(2), rs.getTimestamp(3).toInstant(), rs.getString(4),
                        (Integer) rs.getObject(5), rs.getString(6), rs.getString(7), rs.getString(8)))
                .list();
    }
}

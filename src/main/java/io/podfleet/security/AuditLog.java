package io.podfleet.security;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The record of who changed what. Written in the caller's transaction, so a change and its audit record commit or
 * roll back together: there is never a change without its record, nor a record of a change that did not happen.
 */
@Component
public class AuditLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records an action by the current caller. {@code before} and {@code after} are written as JSON; null for none. */
    public void record(String action, String target, Object before, Object after) {
        recordAs(currentActor(), action, target, before, after);
    }

    /**
     * In the caller's transaction, so the record and the change commit together or not at all. Checked by hand
     * rather than with a mandatory propagation: callers run under the JDBC or (security's entities) the JPA
     * transaction manager, and the record joins either on the same connection.
     */
    public void recordAs(String actor, String action, String target, Object before, Object after) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("an audit record is written in the transaction of the change it records");
        }
        jdbc.sql("INSERT INTO audit_event (at, actor, action, target, before, after) VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb)")
                .params(Timestamp.from(clock.instant()), actor, action, target, json(before), json(after))
                .update();
    }

    /** The newest events for a target, newest first. */
    public List<AuditEvent> forTarget(String target, int limit) {
        return jdbc.sql("SELECT at, actor, action, target, before::text, after::text FROM audit_event"
                        + " WHERE target = ? ORDER BY at DESC, id DESC LIMIT ?")
                .params(target, limit)
                .query((rs, i) -> new AuditEvent(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6)))
                .list();
    }

    public static String currentActor() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth == null ? "system" : auth.getName();
    }

    private static String json(Object value) {
        return value == null ? null : JSON.writeValueAsString(value);
    }

    /** One audit record as the API shows it; before/after are JSON text. */
    public record AuditEvent(Instant at, String actor, String action, String target, String before, String after) {
    }
}

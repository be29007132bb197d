package io.podfleet.security;

import io.podfleet.platform.problem.DomainProblem;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The people who sign in to the dashboard, managed by an ADMIN (in the dashboard or through the API). Passwords are
 * stored hashed; every change is audited without the password. The last enabled ADMIN cannot be demoted or disabled,
 * so the dashboard never locks everyone out.
 */
@Service
public class DashboardUsers {

    public record User(String username, Role role, boolean enabled, Instant createdAt) {
    }

    /** A field of a user change that breaks a rule. */
    public static final class InvalidUser extends DomainProblem {
        InvalidUser(HttpStatus status, String field, String detail) {
            super(status, field, detail);
        }
    }

    static final int MIN_PASSWORD = 12;
    private static final List<Role> PEOPLE_ROLES = List.of(Role.VIEWER, Role.OPERATOR, Role.ADMIN);

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;

    DashboardUsers(JdbcClient jdbc, PasswordEncoder passwords, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
    }

    public List<User> list() {
        return jdbc.sql("SELECT username, role, enabled, created_at FROM dashboard_user ORDER BY username")
                .query((rs, i) -> new User(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3),
                        rs.getTimestamp(4).toInstant()))
                .list();
    }

    @Transactional
    public User create(String username, String password, Role role) {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{2,100}")) {
            throw new InvalidUser(HttpStatus.BAD_REQUEST, "username", "2 to 100 letters, digits and . _ @ -");
        }
        checkRole(role);
        checkPassword(password);
        if (jdbc.sql("SELECT count(*) FROM dashboard_user WHERE username = ?").param(username).query(Long.class).single() > 0) {
            throw new InvalidUser(HttpStatus.CONFLICT, "username", "a user named " + username + " exists");
        }
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO dashboard_user (username, password_hash, role, enabled, created_at) VALUES (?, ?, ?, true, ?)")
                .params(username, passwords.encode(password), role.name(), Timestamp.from(now)).update();
        User user = new User(username, role, true, now);
        audit.record("dashboard-user.create", "dashboard-user:" + username, null, user);
        return user;
    }

    /** Changes a user's role, enabled flag and/or password; a null leaves that part as it is. */
    @Transactional
    public User update(String username, Role role, Boolean enabled, String password) {
        User before = jdbc.sql("SELECT username, role, enabled, created_at FROM dashboard_user WHERE username = ? FOR UPDATE")
                .param(username)
                .query((rs, i) -> new User(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getBoolean(3), rs.getTimestamp(4).toInstant()))
                .optional().orElseThrow(() -> new DomainProblem.NotFound("Dashboard user", username));
        if (role != null) {
            checkRole(role);
        }
        if (password != null) {
            checkPassword(password);
        }
        User after = new User(username, role == null ? before.role() : role, enabled == null ? before.enabled() : enabled, before.createdAt());
        boolean losesAdmin = before.role() == Role.ADMIN && before.enabled() && (after.role() != Role.ADMIN || !after.enabled());
        if (losesAdmin && jdbc.sql("SELECT count(*) FROM dashboard_user WHERE role = 'ADMIN' AND enabled AND username <> ?")
                .param(username).query(Long.class).single() == 0) {
            throw new InvalidUser(HttpStatus.CONFLICT, role != null ? "role" : "enabled",
                    username + " is the last enabled ADMIN; make another ADMIN first");
        }
        jdbc.sql("UPDATE dashboard_user SET role = ?, enabled = ?, password_hash = COALESCE(?, password_hash) WHERE username = ?")
                .params(after.role().name(), after.enabled(), password == null ? null : passwords.encode(password), username).update();
        audit.record("dashboard-user.update", "dashboard-user:" + username, before,
                password == null ? after : Map.of("user", after, "password", "changed"));
        return after;
    }

    private static void checkRole(Role role) {
        if (role == null || !PEOPLE_ROLES.contains(role)) {
            throw new InvalidUser(HttpStatus.BAD_REQUEST, "role", "must be VIEWER, OPERATOR or ADMIN");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new InvalidUser(HttpStatus.BAD_REQUEST, "password", "must be at least " + MIN_PASSWORD + " characters");
        }
    }
}

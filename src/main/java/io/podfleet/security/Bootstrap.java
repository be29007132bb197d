package io.podfleet.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import io.podfleet.platform.database.TransactionManagers;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;

/**
 * Gives an empty database its first admin token and admin user. Several instances may start at once against one
 * database: an advisory lock makes exactly one of them do it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class Bootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);
    private static final long LOCK_KEY = 0x706f64666c656574L; // "podfleet"

    private final BootstrapSettings settings;
    private final ApiTokenRepository tokens;
    private final DashboardUserRepository users;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final JdbcClient jdbc;
    private final Clock clock;

    Bootstrap(BootstrapSettings settings, ApiTokenRepository tokens, DashboardUserRepository users,
              PasswordEncoder passwords, AuditLog audit, JdbcClient jdbc, Clock clock) {
        this.settings = settings;
        this.tokens = tokens;
        this.users = users;
        this.passwords = passwords;
        this.audit = audit;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    @Transactional(TransactionManagers.JPA)
    public void run(ApplicationArguments args) {
        jdbc.sql("SELECT pg_advisory_xact_lock(?)").param(LOCK_KEY).query().singleValue();
        if (tokens.count() == 0) {
            boolean given = settings.token() != null && !settings.token().isBlank();
            String secret = given ? settings.token() : Tokens.generate("pf_");
            tokens.save(new ApiToken("bootstrap-admin", Tokens.hash(secret), Role.ADMIN, clock.instant(), "bootstrap"));
            audit.recordAs("bootstrap", "api-token.create", "api-token:bootstrap-admin", null,
                    java.util.Map.of("role", Role.ADMIN));
            if (given) {
                log.info("Created the admin API token 'bootstrap-admin' from PODFLEET_BOOTSTRAP_TOKEN");
            } else {
                log.warn("Created the admin API token 'bootstrap-admin'; it is shown once, store it now: {}", secret);
            }
        }
        if (users.count() == 0) {
            boolean given = settings.password() != null && !settings.password().isBlank();
            String password = given ? settings.password() : Tokens.generate("");
            users.save(new DashboardUser("admin", passwords.encode(password), Role.ADMIN, clock.instant()));
            audit.recordAs("bootstrap", "user.create", "user:admin", null, java.util.Map.of("role", Role.ADMIN));
            if (given) {
                log.info("Created the dashboard user 'admin' from PODFLEET_BOOTSTRAP_PASSWORD");
            } else {
                log.warn("Created the dashboard user 'admin'; its password is shown once, store it now: {}", password);
            }
        }
    }
}

package io.podfleet.vault;

import io.podfleet.fleet.HostsChanged;
import io.podfleet.platform.jobs.ScheduledTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps vaults current: when hosts change (a committed report, host health, admin state, a removed drive) the
 * vaults holding them are re-assessed at once, each in its own transaction after the change committed; and every
 * vault is re-assessed on a schedule, which also takes the time-based steps (end of burn-in) and repairs anything
 * a failed immediate re-assessment missed.
 */
@Component
class VaultWatch implements ScheduledTask {

    private static final Logger log = LoggerFactory.getLogger(VaultWatch.class);

    private final JdbcClient jdbc;
    private final VaultKeeper keeper;
    private final VaultSettings settings;

    VaultWatch(JdbcClient jdbc, VaultKeeper keeper, VaultSettings settings) {
        this.jdbc = jdbc;
        this.keeper = keeper;
        this.settings = settings;
    }

    @TransactionalEventListener(fallbackExecution = true)
    void hostsChanged(HostsChanged change) {
        List<Integer> vaults = jdbc.sql("SELECT DISTINCT vault_id FROM vault_member WHERE host_id = ANY(?) AND left_at IS NULL")
                .param(change.hostIds().toArray(Long[]::new)).query(Integer.class).list();
        for (int vault : vaults) {
            try {
                keeper.reassessAlone(vault);
            } catch (RuntimeException e) {
                log.warn("Re-assessing vault {} after a host change failed; the next scheduled pass repairs it: {}", vault, e.toString());
            }
        }
    }

    @Override
    public String name() {
        return "vault-reassess";
    }

    @Override
    public Duration interval() {
        return settings.reassessInterval();
    }

    @Override
    public void run(Instant firedAt) {
        reassessAll();
    }

    /** Every vault that holds hosts, one transaction each; returns how many. */
    int reassessAll() {
        List<Integer> vaults = jdbc.sql("SELECT id FROM vault WHERE state <> 'RETIRED' ORDER BY id").query(Integer.class).list();
        for (int vault : vaults) {
            keeper.reassessAlone(vault);
        }
        return vaults.size();
    }
}

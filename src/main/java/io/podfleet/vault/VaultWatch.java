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
        if (vaults.isEmpty()) {
            return;
        }
        try {
            keeper.reassessAlone(vaults, change.hostIds());
        } catch (RuntimeException e) {
            log.warn("Re-assessing vaults {} after a host change failed; the next scheduled pass repairs it: {}", vaults, e.toString());
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

    /**
     * Every vault that holds hosts, {@value #BATCH} vaults per transaction (few queries each, short locks); returns
     * how many.
     */
    int reassessAll() {
        List<Integer> vaults = jdbc.sql("SELECT id FROM vault WHERE state <> 'RETIRED' ORDER BY id").query(Integer.class).list();
        int done = 0;
        for (int from = 0; from < vaults.size(); from += BATCH) {
            done += keeper.reassessAlone(vaults.subList(from, Math.min(vaults.size(), from + BATCH)), null);
        }
        return done;
    }

    private static final int BATCH = 20;
}

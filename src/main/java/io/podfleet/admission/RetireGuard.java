package io.podfleet.admission;

import io.podfleet.vault.VaultRetiring;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;

/**
 * A vault is not retired while uploads still hold leases on it: retiring frees its hosts for other vaults, and an
 * upload in flight would be writing to a vault that no longer exists. Draining stops new leases, so the open ones
 * only end or expire (within {@code lease-ttl}); the operator retires after that.
 */
@Component
class RetireGuard {

    private final JdbcClient jdbc;

    RetireGuard(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void refuseWhileUploadsOpen(VaultRetiring retiring) {
        long open = jdbc.sql("SELECT COALESCE((SELECT active FROM vault_admission WHERE vault_id = ?), 0)")
                .param(retiring.vaultId()).query(Long.class).single();
        if (open > 0) {
            Timestamp last = jdbc.sql("SELECT max(expires_at) FROM upload_lease WHERE vault_id = ? AND ended_at IS NULL")
                    .param(retiring.vaultId()).query(Timestamp.class).optional().orElse(null);
            throw new AdmissionProblems.UploadsOpen(retiring.vaultId(), open, last == null ? null : last.toInstant());
        }
    }
}

package io.podfleet.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An audit record commits with the change it records, so it refuses to be written outside a transaction. */
class AuditLogTest {

    @Test
    void refusesToWriteOutsideATransaction() {
        AuditLog audit = new AuditLog(null, Clock.systemUTC());
        assertThatThrownBy(() -> audit.recordAs("someone", "vault.limit", "vault:1", null, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
    }
}

package io.podfleet.platform.database;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.TransactionManager;

import static org.assertj.core.api.Assertions.assertThat;

/** Unqualified transactions are JDBC ones; the JPA manager is there, by the name the repositories look up. */
class TransactionManagersTest extends ServerTest {

    @Autowired
    ApplicationContext context;

    @Test
    void plainTransactionsAreJdbcAndRepositoriesFindTheJpaManager() throws Exception {
        assertThat(context.getBean(TransactionManager.class)).isInstanceOf(JdbcTransactionManager.class);
        assertThat(context.getBean(TransactionManagers.JPA)).isInstanceOf(JpaTransactionManager.class);

        // a token (a JPA entity) and its audit record (JDBC) commit together
        var created = send("POST", "/api/v1/api-tokens", ADMIN_TOKEN, "{\"name\":\"tx-check\",\"role\":\"VIEWER\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT count(*) FROM api_token t JOIN audit_event a ON a.target = 'api-token:' || t.id"
                + " WHERE t.name = 'tx-check' AND a.action = 'api-token.create'").query(Long.class).single()).isEqualTo(1);
    }
}

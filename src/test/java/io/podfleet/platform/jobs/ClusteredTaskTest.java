package io.podfleet.platform.jobs;

import io.podfleet.PodfleetServer;
import io.podfleet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two server instances sharing one PostgreSQL: a task declared with the pattern fires once per period, not twice. */
class ClusteredTaskTest {

    /** The probe's interval, changed by the rescheduling test while the cluster fires it. */
    static final java.util.concurrent.atomic.AtomicReference<Duration> probeInterval =
            new java.util.concurrent.atomic.AtomicReference<>(Duration.ofSeconds(1));

    @Configuration(proxyBeanMethods = false)
    static class ProbeTask {
        @Bean
        ScheduledTask clusterProbe(JdbcClient jdbc, org.springframework.core.env.Environment env) {
            String node = env.getProperty("test.node");
            return new ScheduledTask() {
                public String name() {
                    return "cluster-probe";
                }

                public Duration interval() {
                    return probeInterval.get();
                }

                public void run(Instant firedAt) {
                    jdbc.sql("INSERT INTO test_probe.cluster_probe_run (fired_at, node) VALUES (?, ?)")
                            .params(java.sql.Timestamp.from(firedAt), node).update();
                }
            };
        }
    }

    @Test
    void firesOncePerPeriodAcrossTwoSchedulers() {
        String url = TestDatabase.jdbcUrl();
        JdbcClient db = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(url, "postgres", ""));
        db.sql("DROP SCHEMA IF EXISTS test_probe CASCADE").update();
        db.sql("CREATE SCHEMA test_probe").update();
        db.sql("CREATE TABLE test_probe.cluster_probe_run (fired_at TIMESTAMPTZ NOT NULL, node TEXT NOT NULL)").update();

        try (Nodes nodes = Nodes.start(url)) {
            await().atMost(30, TimeUnit.SECONDS).until(() ->
                    db.sql("SELECT count(*) FROM test_probe.cluster_probe_run").query(Long.class).single() >= 8);
        }

        List<Map<String, Object>> duplicates = db.sql(
                "SELECT fired_at, count(*) FROM test_probe.cluster_probe_run GROUP BY fired_at HAVING count(*) > 1").query().listOfRows();
        assertThat(duplicates).as("no fire time ran on both nodes").isEmpty();
        assertThat(db.sql("SELECT count(DISTINCT node) FROM test_probe.cluster_probe_run").query(Long.class).single())
                .isBetween(1L, 2L);
    }

    /**
     * A node starting with a changed interval reschedules the trigger while another node keeps firing it. Both must
     * go through Quartz's cluster lock: without it the firing node re-inserted the trigger between the delete and
     * insert of the rescheduling one, and that node's start failed on a duplicate key.
     */
    @Test
    void reschedulingWhileAnotherNodeFiresTheTrigger() throws Exception {
        String url = TestDatabase.jdbcUrl();
        JdbcClient db = JdbcClient.create(new org.springframework.jdbc.datasource.DriverManagerDataSource(url, "postgres", ""));
        db.sql("DROP SCHEMA IF EXISTS test_probe CASCADE").update();
        db.sql("CREATE SCHEMA test_probe").update();
        db.sql("CREATE TABLE test_probe.cluster_probe_run (fired_at TIMESTAMPTZ NOT NULL, node TEXT NOT NULL)").update();
        probeInterval.set(Duration.ofMillis(20));
        try (Nodes nodes = Nodes.start(url)) {
            org.springframework.boot.ApplicationRunner startUpReschedule =
                    nodes.b().getBean("scheduledTaskIntervals", org.springframework.boot.ApplicationRunner.class);
            for (int i = 0; i < 300; i++) {
                probeInterval.set(Duration.ofMillis(i % 2 == 0 ? 21 : 20));
                startUpReschedule.run(null);
            }
            long before = db.sql("SELECT count(*) FROM test_probe.cluster_probe_run").query(Long.class).single();
            await().atMost(10, TimeUnit.SECONDS).until(() ->
                    db.sql("SELECT count(*) FROM test_probe.cluster_probe_run").query(Long.class).single() > before + 5);
        } finally {
            probeInterval.set(Duration.ofSeconds(1));
        }
    }

    /** Two nodes of one cluster in this JVM, started a then b. */
    private record Nodes(ConfigurableApplicationContext a, ConfigurableApplicationContext b) implements AutoCloseable {

        static Nodes start(String url) {
            return new Nodes(node(url, "a"), node(url, "b"));
        }

        /**
         * a first. Spring registers a scheduler's data source in Quartz's JVM-wide DBConnectionManager under the
         * scheduler's name, which the two nodes share, so from b's start both use b's pool: closing b first left a's
         * running job retrying its completion on a closed pool while a's shutdown waited for that job (a CI hang).
         */
        @Override
        public void close() {
            try {
                a.close();
            } finally {
                b.close();
            }
        }
    }

    private static ConfigurableApplicationContext node(String url, String name) {
        return new SpringApplicationBuilder(PodfleetServer.class, ProbeTask.class)
                .run("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--server.port=0", "--test.node=" + name,
                        // a scheduler name of its own keeps this test's jobs apart from other tests sharing the database
                        "--spring.quartz.properties.org.quartz.scheduler.instanceName=cluster-test",
                        "--spring.quartz.properties.org.quartz.jobStore.clusterCheckinInterval=1000",
                        "--podfleet.bootstrap.token=" + TestDatabase.ADMIN_TOKEN,
                        "--spring.quartz.wait-for-jobs-to-complete-on-shutdown=false"); // see ServerTest
    }
}

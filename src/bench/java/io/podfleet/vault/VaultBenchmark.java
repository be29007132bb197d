package io.podfleet.vault;

import io.podfleet.PodfleetServer;
import io.podfleet.fleet.HostsChanged;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Files;
import java.util.Arrays;

/**
 * Tome health figures on the real server and its embedded PostgreSQL: a fleet of {@code vaults} x 20 hosts of 60
 * drives (1 % failed, 0.5 % warning, a few filesystems read-only) is written with SQL, then
 * (1) every tome of every vault is recomputed from scratch (tome rows deleted first), several times;
 * (2) the work that follows one report of one host: the host-changed event re-assesses its vault, with one drive
 *     state changed before each, many times.
 * Prints measured figures only. Args: [vaults] [rounds]
 */
public final class VaultBenchmark {

    public static void main(String[] args) throws Exception {
        int vaults = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        String data = Files.createTempDirectory("podfleet-vault-bench").toString();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(PodfleetServer.class)
                .properties("server.port=0", "podfleet.data-dir=" + data, "logging.level.root=warn",
                        "podfleet.vault.reassess-interval=1d", "podfleet.fleet.liveness-check-interval=1d")
                .run()) {
            JdbcClient jdbc = app.getBean(JdbcClient.class);
            VaultWatch watch = app.getBean(VaultWatch.class);
            long seeded = seed(jdbc, vaults);
            System.out.printf("cores=%d fleet: %d vaults, %d hosts, %d drives%n", Runtime.getRuntime().availableProcessors(),
                    vaults, vaults * 20, seeded);

            double[] full = new double[6];
            for (int i = 0; i < full.length; i++) {
                jdbc.sql("DELETE FROM tome").update();
                jdbc.sql("UPDATE vault_member SET cells = NULL, available = NULL").update();
                jdbc.sql("UPDATE vault SET health = 'HEALTHY', writable = false").update();
                long t0 = System.nanoTime();
                int done = watch.reassessAll();
                full[i] = (System.nanoTime() - t0) / 1e6;
                if (done != vaults) {
                    throw new IllegalStateException("re-assessed " + done + " vaults, expected " + vaults);
                }
            }
            long tomes = jdbc.sql("SELECT count(*) FROM tome").query(Long.class).single();
            System.out.printf("full recompute from scratch (%d tomes, %d drives): runs ms %s; median of the last 5 %.0f ms%n",
                    tomes, seeded, Arrays.toString(Arrays.stream(full).map(Math::round).toArray()), median(Arrays.copyOfRange(full, 1, full.length)));

            long[] hostIds = jdbc.sql("SELECT host_id FROM vault_member ORDER BY host_id").query(Long.class).list()
                    .stream().mapToLong(Long::longValue).toArray();
            double[] one = new double[rounds];
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < rounds; i++) {
                long host = hostIds[random.nextInt(hostIds.length)];
                int slot = random.nextInt(60);
                // what a report may change: one drive's state flips (the tome's health changes every other round)
                jdbc.sql("UPDATE drive SET state = CASE WHEN state = 'FAILED' THEN 'IN_SERVICE' ELSE 'FAILED' END WHERE host_id = ? AND slot = ?")
                        .params(host, slot).update();
                long t0 = System.nanoTime();
                watch.hostsChanged(HostsChanged.of(host));
                one[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(one);
            System.out.printf("after one report, re-assessing its vault (%d rounds): p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    rounds, one[rounds / 2], one[(int) (rounds * 0.9)], one[(int) (rounds * 0.99)], one[rounds - 1]);
        }
    }

    private static long seed(JdbcClient jdbc, int vaults) {
        int hosts = vaults * 20;
        jdbc.sql("""
                INSERT INTO host (hostname, system_serial, profile_id, datacenter, cabinet, rack_unit, health, admin_state,
                  last_heartbeat_at, last_report_at, created_at)
                SELECT 'bench-' || g, 'BSN' || g, 'backblaze-pod-6.0', 'dc' || (g / 1000), 'c' || lpad((g % 20)::text, 2, '0'),
                  1 + 4 * ((g / 20) % 10), 'HEALTHY', 'IN_SERVICE', now(), now(), now() FROM generate_series(0, ? - 1) g""")
                .param(hosts).update();
        long drives = jdbc.sql("""
                INSERT INTO drive (serial, model, capacity_bytes, interface, host_id, slot, state, verdict, first_seen_at, last_seen_at)
                SELECT 'D' || h.id || '-' || s, 'ST16000NM001G', 16000000000000, 'ATA', h.id, s,
                  CASE WHEN random() < 0.01 THEN 'FAILED' WHEN random() < 0.005 THEN 'WARNING' ELSE 'IN_SERVICE' END, 'HEALTHY', now(), now()
                FROM host h, generate_series(0, 59) s""").update();
        jdbc.sql("""
                INSERT INTO shard_filesystems (host_id, slots, mount_points, mounted, read_only, total_bytes, used_bytes, free_bytes,
                  reported_at)
                SELECT h.id, array_agg(s ORDER BY s), array_agg('/srv/tome' || s ORDER BY s), array_agg(true), array_agg(random() < 0.001),
                  array_agg(16000000000000::bigint), array_agg(8000000000000::bigint), array_agg(8000000000000::bigint), now()
                FROM host h, generate_series(0, 59) s GROUP BY h.id""").update();
        jdbc.sql("""
                INSERT INTO vault (id, name, datacenter, data_shards, parity_shards, width, tome_count, first_slot, drive_capacity,
                  state, state_since, created_at)
                SELECT 1000 + v, 'vault-' || (1000 + v), 'dc' || (v / 50), 17, 3, 20, 60, 0, 16000000000000, 'ACTIVE', now(), now()
                FROM generate_series(0, ? - 1) v""").param(vaults).update();
        jdbc.sql("""
                INSERT INTO vault_member (vault_id, position, host_id, joined_at)
                SELECT 1000 + (row_number() OVER (ORDER BY id) - 1) / 20, (row_number() OVER (ORDER BY id) - 1) % 20, id, now()
                FROM host""").update();
        jdbc.sql("ANALYZE").update();
        return drives;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}

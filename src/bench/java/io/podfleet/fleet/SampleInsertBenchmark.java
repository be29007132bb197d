package io.podfleet.fleet;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * A report's 60 SMART samples written into the server's own {@code smart_sample} (bench/sample-insert.sh starts the
 * server, so the table, partitions and index are the migrations'), one transaction per report from one connection,
 * two ways in alternating rounds: the driver's batch (rewritten into multi-row INSERTs, as ingestion wrote them until
 * the thirteenth session) and one COPY (as it writes them now). Prints reports/s and the CPU per report of the
 * PostgreSQL backend (from /proc) and of the client thread.
 * Args: JDBC URL, reports per round, rounds.
 */
public final class SampleInsertBenchmark {

    private static final String COLUMNS = "drive_id, taken_at, verdict, temperature_c, power_on_hours, reallocated,"
            + " reported_uncorrect, command_timeout, pending, offline_uncorrectable, nvme_media_errors,"
            + " nvme_percentage_used, scsi_grown_defects, scsi_uncorrected";
    private static final long FIRST_DRIVE = 2_000_000;

    public static void main(String[] args) throws Exception {
        int reports = Integer.parseInt(args[1]);
        int rounds = Integer.parseInt(args[2]);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (Connection c = DriverManager.getConnection(args[0] + "?reWriteBatchedInserts=true", "postgres", "")) {
            try (Statement st = c.createStatement()) {
                st.execute("SET TIME ZONE 'UTC'");
                for (YearMonth m : new YearMonth[]{YearMonth.now(ZoneOffset.UTC), YearMonth.now(ZoneOffset.UTC).plusMonths(1)}) {
                    st.execute(String.format("CREATE TABLE IF NOT EXISTS smart_sample_%04d_%02d PARTITION OF smart_sample"
                            + " FOR VALUES FROM ('%s') TO ('%s')", m.getYear(), m.getMonthValue(), m.atDay(1), m.plusMonths(1).atDay(1)));
                }
            }
            c.setAutoCommit(false);
            int backend;
            try (ResultSet rs = c.createStatement().executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                backend = rs.getInt(1);
            }
            c.commit();
            long report = 0;
            for (int round = 0; round < rounds; round++) {
                for (boolean copy : new boolean[]{false, true}) {
                    long ticks = ticks(backend);
                    long cpu = threads.getCurrentThreadCpuTime();
                    long started = System.nanoTime();
                    for (int i = 0; i < reports; i++, report++) {
                        long firstDrive = FIRST_DRIVE + (report % 10_000) * 60; // a fleet's drives, report after report
                        if (copy) {
                            copy(c, firstDrive, Instant.now(), report);
                        } else {
                            batch(c, firstDrive, Instant.now(), report);
                        }
                        c.commit();
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("%-5s round %d: %.0f reports/s, PostgreSQL backend %.0f us, client thread %.0f us of CPU per report%n",
                            copy ? "COPY" : "batch", round, reports / seconds, (ticks(backend) - ticks) * 10_000.0 / reports,
                            (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / reports);
                }
            }
            try (Statement st = c.createStatement()) {
                st.execute("DELETE FROM smart_sample WHERE drive_id >= " + FIRST_DRIVE);
            }
            c.commit();
        }
    }

    private static void batch(Connection c, long firstDrive, Instant at, long hours) throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO smart_sample (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int d = 0; d < 60; d++) {
                ps.setLong(1, firstDrive + d);
                ps.setTimestamp(2, Timestamp.from(at));
                ps.setString(3, "HEALTHY");
                ps.setObject(4, (short) 30, Types.SMALLINT);
                ps.setObject(5, 12_000 + hours, Types.BIGINT);
                for (int col = 6; col <= 10; col++) {
                    ps.setObject(col, 0L, Types.BIGINT);
                }
                ps.setObject(11, null, Types.BIGINT);
                ps.setObject(12, null, Types.SMALLINT);
                ps.setObject(13, null, Types.BIGINT);
                ps.setObject(14, null, Types.BIGINT);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void copy(Connection c, long firstDrive, Instant at, long hours) throws Exception {
        StringBuilder rows = new StringBuilder(60 * 64);
        for (int d = 0; d < 60; d++) {
            rows.append(firstDrive + d).append(',').append(at).append(",HEALTHY,30,").append(12_000 + hours).append(",0,0,0,0,0,,,,\n");
        }
        byte[] data = rows.toString().getBytes(StandardCharsets.US_ASCII);
        c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY smart_sample (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
                new ByteArrayInputStream(data), data.length);
    }

    /** User and system CPU of a process, in clock ticks (100 a second here). */
    private static long ticks(int pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}

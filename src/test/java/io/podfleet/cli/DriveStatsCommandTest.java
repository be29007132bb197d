package io.podfleet.cli;

import io.podfleet.support.ServerTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line form of the Drive Stats import, against a running server. */
class DriveStatsCommandTest extends ServerTest {

    private static final Path SAMPLE = Path.of("src/test/resources/drivestats/2013-04-12_head200.csv");

    @Test
    void importsFilesInOrderAndStopsAtARefusedOneNamingIt(@TempDir Path dir) throws Exception {
        Path day13 = Files.writeString(dir.resolve("2013-04-13.csv"), Files.readString(SAMPLE).replace("2013-04-12", "2013-04-13"));
        Path bad = Files.writeString(dir.resolve("bad.csv"), "date,serial_number\n2013-04-14,X\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = DriveStatsCommand.run(new String[]{"import", "--server", url("").toString(), "--token", token("OPERATOR"),
                SAMPLE.toString(), day13.toString(), bad.toString()}, new PrintStream(out, true), new PrintStream(err, true));

        assertThat(code).isEqualTo(1);
        assertThat(out.toString()).contains("2013-04-12_head200.csv: imported", "2013-04-13.csv: imported", "\"rows\":200");
        assertThat(err.toString()).contains("bad.csv: refused (400)", "model");
        assertThat(jdbc.sql("SELECT count(*) FROM drive_day WHERE day IN ('2013-04-12', '2013-04-13')").query(Long.class).single())
                .isEqualTo(400);
        assertThat(DriveStatsCommand.run(new String[]{"import", SAMPLE.toString()}, new PrintStream(out), new PrintStream(err)))
                .as("no server given").isEqualTo(2);
    }
}

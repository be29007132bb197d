package io.podfleet.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class SpoolTest {

    @TempDir
    Path dir;

    @Test
    void reportsComeBackOldestFirstAndSurviveAReopen() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID c = UUID.randomUUID();
        spool.put(a, "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
        spool.put(b, "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
        Spool reopened = new Spool(dir, 1 << 20);
        reopened.put(c, "{\"n\":3}".getBytes(StandardCharsets.UTF_8));
        assertThat(reopened.pending()).extracting(Spool.Entry::reportId).containsExactly(a, b, c);
        assertThat(new String(reopened.read(reopened.pending().get(1)), StandardCharsets.UTF_8)).isEqualTo("{\"n\":2}");

        reopened.delete(reopened.pending().get(0));
        assertThat(new Spool(dir, 1 << 20).pending()).extracting(Spool.Entry::reportId).containsExactly(b, c);
    }

    @Test
    void aFullSpoolDropsTheOldestAndCountsThem() throws Exception {
        Spool spool = new Spool(dir, 2500);
        byte[] kilobyte = new byte[1000];
        java.util.Arrays.fill(kilobyte, (byte) 'x');
        UUID[] ids = new UUID[5];
        int dropped = 0;
        for (int i = 0; i < 5; i++) {
            ids[i] = UUID.randomUUID();
            dropped += spool.put(ids[i], kilobyte);
        }
        assertThat(dropped).isEqualTo(3);
        assertThat(spool.pending()).extracting(Spool.Entry::reportId).containsExactly(ids[3], ids[4]);
        assertThat(spool.dropped()).isEqualTo(3);
        assertThat(new Spool(dir, 2500).dropped()).as("the count survives a restart").isEqualTo(3);
    }

    @Test
    void aWriteInterruptedByACrashIsNeverSent() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        UUID whole = UUID.randomUUID();
        spool.put(whole, "{\"whole\":true}".getBytes(StandardCharsets.UTF_8));
        // what a kill -9 between write and rename leaves behind
        Files.writeString(dir.resolve("tmp/9999999999999999999-" + UUID.randomUUID() + ".json"), "{\"half\":");

        Spool afterRestart = new Spool(dir, 1 << 20);
        assertThat(afterRestart.pending()).extracting(Spool.Entry::reportId).containsExactly(whole);
        try (var leftovers = Files.list(dir.resolve("tmp"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void aRejectedReportIsKeptAsideWithTheAnswer() throws Exception {
        Spool spool = new Spool(dir, 1 << 20);
        UUID id = UUID.randomUUID();
        spool.put(id, "{}".getBytes(StandardCharsets.UTF_8));
        spool.reject(spool.pending().get(0), "HTTP 400\n{\"field\":\"drives[0].slot\"}");
        assertThat(spool.pending()).isEmpty();
        List<Path> rejected = spool.rejectedFiles();
        assertThat(rejected).hasSize(1);
        assertThat(Files.readString(Path.of(rejected.get(0) + ".answer.txt"))).contains("drives[0].slot");
    }
}

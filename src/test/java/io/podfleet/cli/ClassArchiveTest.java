package io.podfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which class-data options a server start gets (ServerJarIT runs the whole cycle on the packaged jar). */
class ClassArchiveTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");
    private static final long ME = ProcessHandle.current().pid();

    @TempDir
    Path copy;

    private List<String> options(List<String> jvm, List<String> environment) {
        return ClassArchive.options(copy, JAVA, jvm, environment, copy.resolve("podfleet.jar"));
    }

    @Test
    void theFirstStartRecordsAnArchiveNamedForItsProcessAndALaterOneMapsIt() throws Exception {
        assertThat(options(List.of("-Xmx1g"), List.of()))
                .contains("-XX:ArchiveClassesAtExit=" + copy.resolve("podfleet.jsa." + ME + ".partial"),
                        "-Dpodfleet.class-archive.recording=" + copy.resolve("podfleet.jsa." + ME + ".partial"))
                .noneMatch(o -> o.startsWith("-XX:SharedArchiveFile"));

        Files.write(copy.resolve("podfleet.jsa"), new byte[] {1});
        assertThat(options(List.of("-Xmx1g"), List.of()))
                .contains("-XX:SharedArchiveFile=" + copy.resolve("podfleet.jsa"), "-Xshare:auto")
                .noneMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit"));
    }

    @Test
    void flightRecorderAgentsAndTheOperatorsOwnClassDataChoiceGetNoArchive() throws Exception {
        Files.write(copy.resolve("podfleet.jsa"), new byte[] {1});
        for (String option : List.of("-XX:StartFlightRecording=filename=x.jfr", "-XX:+FlightRecorder",
                "-javaagent:/opt/apm/agent.jar", "-agentlib:jdwp=transport=dt_socket", "-Xshare:off",
                "-XX:SharedArchiveFile=/opt/mine.jsa")) {
            assertThat(options(List.of("-Xmx1g", option), List.of())).as(option).isEmpty();
            assertThat(options(List.of(), List.of(option))).as(option + " from JAVA_TOOL_OPTIONS").isEmpty();
        }
    }

    @Test
    void anArchiveStillBeingWrittenIsLeftAloneAndABrokenOneIsRemoved() throws Exception {
        Path writing = Files.write(copy.resolve("podfleet.jsa." + ME + ".partial"), new byte[] {1, 2, 3});
        Path broken = Files.write(copy.resolve("podfleet.jsa.999999999.partial"), new byte[4096]); // writer gone
        Path brokenReady = Files.write(copy.resolve("podfleet.jsa.999999999.partial.ready"), new byte[0]);
        Path failedStart = Files.write(copy.resolve("podfleet.jsa.999999998.partial"), new byte[4096]); // never ready
        Path killed = Files.write(copy.resolve("podfleet.jsa.999999997.partial.ready"), new byte[0]); // no archive

        List<String> options = options(List.of(), List.of());

        assertThat(writing).as("its writer (this process) is alive").exists();
        assertThat(broken).as("a trial JVM refused it").doesNotExist();
        assertThat(failedStart).as("recorded by a server that never became ready").doesNotExist();
        assertThat(brokenReady).doesNotExist();
        assertThat(killed).doesNotExist();
        assertThat(copy.resolve("podfleet.jsa")).doesNotExist();
        assertThat(options).anyMatch(o -> o.startsWith("-XX:ArchiveClassesAtExit="));
    }
}

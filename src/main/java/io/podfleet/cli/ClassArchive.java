package io.podfleet.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's class-data archive (AppCDS, JDK 17 dynamic archive) kept in its unpacked copy: the JVM maps the
 * classes a start needs, already parsed and verified, instead of loading them from some 130 jars, which takes about a
 * third of a warm start's CPU on a 2-core host (docs/benchmarks.md).
 * <p>
 * The first start of a build records it: the JVM writes {@code podfleet.jsa.<pid>.partial} when that server exits
 * (dumping at run time would stop the server for seconds). A later start takes a partial archive over only once the
 * process that wrote it is gone, that server had become ready (a start that failed early would leave an archive of
 * half the classes, kept for the life of the build), and a trial JVM has read all of it: an archive cut short by a
 * kill during the dump would crash the JVM that maps it.
 */
public final class ClassArchive {

    static final String NAME = "podfleet.jsa";
    private static final String PARTIAL = ".partial";
    private static final String READY = ".ready";
    private static final String RECORDING = "podfleet.class-archive.recording";
    private static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    private ClassArchive() {
    }

    /**
     * The JVM options that give this start the archive, or have it record one when it exits. None when the operator
     * already chose what the JVM does with class data (any {@code -Xshare} or archive option), or starts the JVM with
     * Flight Recorder or an agent: JDK 17.0.15 crashed (SIGSEGV in {@code check_shared_class_file_load_hook}) when a
     * JVM mapping a dynamic archive started with {@code -XX:StartFlightRecording}; tried here, also without our launch.
     *
     * @param environmentOptions the options the JVM also takes from JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS
     */
    static List<String> options(Path copy, Path java, List<String> jvmOptions, List<String> environmentOptions, Path copyJar) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(environmentOptions);
        if (all.stream().anyMatch(o -> o.startsWith("-Xshare") || o.contains("SharedArchiveFile")
                || o.contains("ArchiveClassesAtExit") || o.contains("DynamicDump") || o.contains("FlightRecord")
                || o.startsWith("-javaagent") || o.startsWith("-agentlib") || o.startsWith("-agentpath"))) {
            return List.of();
        }
        Path archive = copy.resolve(NAME);
        if (!Files.isRegularFile(archive)) {
            takeOverFinished(copy, archive, java, jvmOptions, copyJar);
        }
        List<String> options = new ArrayList<>();
        if (Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
            options.add("-Xshare:auto");
        } else {
            Path partial = copy.resolve(NAME + "." + ProcessHandle.current().pid() + PARTIAL);
            options.add("-XX:ArchiveClassesAtExit=" + partial);
            options.add("-D" + RECORDING + "=" + partial);
            System.err.println("podfleet: first start of this build: the JVM records its classes and writes them to "
                    + copy.resolve(NAME) + " when this server stops (that stop takes some seconds longer); later starts map them");
        }
        options.addAll(QUIET);
        return options;
    }

    /** Called by the server once it is ready: the archive this JVM writes at its exit may then be used. */
    public static void serverReady() {
        String recording = System.getProperty(RECORDING);
        if (recording == null) {
            return;
        }
        try {
            Files.write(Path.of(recording + READY), new byte[0]);
        } catch (IOException e) {
            // the next start records again
        }
    }

    /** The options JAVA_TOOL_OPTIONS and JDK_JAVA_OPTIONS add to every JVM started here. */
    static List<String> environmentOptions() {
        List<String> options = new ArrayList<>();
        for (String name : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS")) {
            String value = System.getenv(name);
            if (value != null && !value.isBlank()) {
                options.addAll(List.of(value.trim().split("\\s+")));
            }
        }
        return options;
    }

    /** Promotes the first complete partial archive whose writer has exited; removes the broken ones. */
    private static void takeOverFinished(Path copy, Path archive, Path java, List<String> jvmOptions, Path copyJar) {
        List<Path> finished = new ArrayList<>();
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(copy, NAME + ".*" + PARTIAL)) {
            for (Path p : partials) {
                if (!writerAlive(p)) {
                    finished.add(p);
                }
            }
        } catch (IOException e) {
            return;
        }
        for (Path candidate : finished) {
            Path ready = candidate.resolveSibling(candidate.getFileName() + READY);
            try {
                if (!Files.isRegularFile(archive) && Files.exists(ready) && complete(candidate, java, jvmOptions, copyJar)) {
                    Files.move(candidate, archive, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(candidate);
                }
                Files.deleteIfExists(ready);
            } catch (IOException e) {
                // another start promoted or removed it first
            }
        }
        // marks of servers that were killed (no archive written)
        try (DirectoryStream<Path> marks = Files.newDirectoryStream(copy, NAME + ".*" + PARTIAL + READY)) {
            for (Path mark : marks) {
                String name = mark.getFileName().toString();
                Path partial = mark.resolveSibling(name.substring(0, name.length() - READY.length()));
                if (!Files.exists(partial) && !writerAlive(partial)) {
                    Files.deleteIfExists(mark);
                }
            }
        } catch (IOException e) {
            // left for the next start
        }
    }

    private static boolean writerAlive(Path partial) {
        String name = partial.getFileName().toString();
        String pid = name.substring(NAME.length() + 1, name.length() - PARTIAL.length());
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /**
     * True when a JVM with the same options maps the archive and checks the checksum of every region (which reads
     * all of it: a file cut short makes that JVM crash instead of the server).
     */
    static boolean complete(Path candidate, Path java, List<String> jvmOptions, Path copyJar) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-XX:SharedArchiveFile=" + candidate, "-Xshare:on", "-XX:+VerifySharedSpaces",
                "-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash", "-Xlog:disable", "-jar", copyJar.toString(), "--help"));
        try {
            Process trial = new ProcessBuilder(command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!trial.waitFor(60, TimeUnit.SECONDS)) {
                trial.destroyForcibly();
                return false;
            }
            return trial.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

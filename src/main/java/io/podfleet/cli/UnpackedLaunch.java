package io.podfleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Runs {@code java -jar podfleet.jar} from an unpacked copy of the jar: a plain {@code podfleet.jar} of its classes
 * plus {@code lib/}. Loading some 25,000
 * classes out of the ~130 jars nested in the fat jar costs the start a few seconds of CPU on a 2-core host (measured
 * in docs/benchmarks.md), and a start on such a host is CPU-bound; plain jars on disk load faster. The copy is made
 * by the first start of a given jar (atomically, so concurrent first starts agree), beside the jar in
 * {@code .<jar name>.unpacked/<size>-<modified>/}, or in a private folder under the temporary directory when the
 * jar's folder is read-only; a later build of the jar gets its own copy (the three newest are kept). Anything
 * unusual (not started from the fat jar, no writable place, {@code -Dpodfleet.unpack=false}) runs from the fat jar
 * as before.
 */
final class UnpackedLaunch {

    private static final String BOOT_LOADER = "org.springframework.boot.loader.launch.LaunchedClassLoader";
    static final String COPY_JAR = "podfleet.jar";

    private UnpackedLaunch() {
    }

    /**
     * Runs {@code mainClass.main(args)} from the unpacked copy and returns true, or returns false (and does nothing)
     * when this start should run from the fat jar. The server replaces this JVM with one started on the copy and its
     * class-data archive ({@link ClassArchive}); other commands, or where that is not possible, load the copy here.
     */
    static boolean run(Class<?> mainClass, String[] args, boolean server) {
        Path jar = fatJar(mainClass);
        if (jar == null || "false".equals(System.getProperty("podfleet.unpack"))) {
            return false;
        }
        Path unpacked;
        try {
            unpacked = unpacked(jar);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("podfleet: running from the jar itself (could not unpack it: " + e.getMessage() + ")");
            return false;
        }
        if (unpacked == null) {
            return false;
        }
        Path copyJar = unpacked.resolve(COPY_JAR);
        if (server && !"false".equals(System.getProperty("podfleet.class-archive"))) {
            execOnCopy(unpacked, copyJar, args);
        }
        URLClassLoader loader;
        Method main;
        try {
            // the copy's jar names its libraries in its manifest (Class-Path), in the build's order
            loader = new URLClassLoader("podfleet", new URL[] {copyJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            main = loader.loadClass(mainClass.getName()).getMethod("main", String[].class);
        } catch (IOException | ReflectiveOperationException e) {
            System.err.println("podfleet: running from the jar itself (unpacked copy unusable: " + e + ")");
            return false;
        }
        Thread.currentThread().setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return true;
    }

    /**
     * Becomes {@code java [this JVM's options] [class-data archive options] -jar <copy>/podfleet.jar [args]} in this
     * same process, as if the operator had typed that. Returns only when that cannot be done (not Linux, a JVM not
     * started with -jar, no JNA); the caller then runs the copy in this JVM.
     */
    private static void execOnCopy(Path unpacked, Path copyJar, String[] args) {
        List<String> jvmOptions = jvmOptions();
        if (jvmOptions == null) {
            return;
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> archive = ClassArchive.options(unpacked, java, jvmOptions, ClassArchive.environmentOptions(), copyJar);
        if (archive.isEmpty()) {
            return; // nothing a new JVM would do better than this one
        }
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        argv.addAll(archive);
        argv.add("-jar");
        argv.add(copyJar.toString());
        argv.addAll(List.of(args));
        try {
            Exec.replaceThisProcess(argv);
        } catch (IOException | RuntimeException | LinkageError e) {
            System.err.println("podfleet: starting in this JVM (could not restart it on the unpacked copy: " + e.getMessage() + ")");
        }
    }

    /** The options this JVM was started with (those before {@code -jar}), or null when they cannot be known. */
    private static List<String> jvmOptions() {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
        List<String> argv = List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        int jarAt = argv.indexOf("-jar");
        return jarAt < 1 ? null : new ArrayList<>(argv.subList(1, jarAt));
    }

    /** The fat jar this class was loaded from by Spring Boot's launcher, or null. */
    private static Path fatJar(Class<?> mainClass) {
        ClassLoader loader = mainClass.getClassLoader();
        if (loader == null || !loader.getClass().getName().equals(BOOT_LOADER)) {
            return null;
        }
        String classPath = System.getProperty("java.class.path", "");
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return null;
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        return Files.isRegularFile(jar) ? jar : null;
    }

    /** The unpacked copy of this jar, made now if there is none; null when there is no place to keep one. */
    static Path unpacked(Path jar) throws IOException {
        String version = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
        Path home = home(jar);
        if (home == null) {
            return null;
        }
        Path target = home.resolve(version);
        if (Files.isDirectory(target)) {
            return target;
        }
        Path partial = Files.createTempDirectory(home, version + ".partial-");
        try {
            extract(jar, partial);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                if (!Files.isDirectory(target)) {
                    throw e;
                }
                // another first start of the same jar finished first ("directory not empty"): use its copy
            }
        } finally {
            delete(partial);
        }
        removeOthers(home, version);
        return target;
    }

    /**
     * Where copies of this jar live: beside it, or in a folder of this user's under the temporary directory. Either
     * must be ours and writable by nobody else: classes another user could put there would run as us (a jar in a
     * shared folder such as /tmp would otherwise load whatever someone had unpacked beside it first).
     */
    private static Path home(Path jar) {
        String name = "." + jar.getFileName() + ".unpacked";
        Path beside = jar.resolveSibling(name);
        try {
            Files.createDirectories(beside);
            if (ours(beside)) {
                return beside;
            }
        } catch (IOException e) {
            // a read-only install folder: try the temporary directory
        }
        try {
            Path mine = Path.of(System.getProperty("java.io.tmpdir"), "podfleet-" + System.getProperty("user.name"));
            if (!Files.exists(mine, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(mine, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!ours(mine)) {
                return null;
            }
            Path home = mine.resolve(name);
            Files.createDirectories(home);
            return ours(home) ? home : null;
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** A real folder (no link) of this user's that we may write and no group or other user may. */
    private static boolean ours(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || !Files.isWritable(dir)
                || !Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS).getName().equals(System.getProperty("user.name"))) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        return !mode.contains(PosixFilePermission.GROUP_WRITE) && !mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /**
     * The copy: {@code podfleet.jar} holding the application's classes, with the libraries in {@code lib/} named by
     * its manifest in the order the build gave them (classpath.idx), so that plain {@code java -jar} runs it.
     */
    private static void extract(Path jar, Path into) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            Manifest manifest = new Manifest();
            manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Podfleet.class.getName());
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libraries(zip)));
            Path lib = Files.createDirectories(into.resolve("lib"));
            try (JarOutputStream classes = new JarOutputStream(Files.newOutputStream(into.resolve(COPY_JAR)), manifest)) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (name.equals("BOOT-INF/classes/" + JarFile.MANIFEST_NAME)) {
                        continue; // the copy's jar has its own (a second one would fail the whole copy)
                    }
                    if (name.startsWith("BOOT-INF/classes/") && name.length() > "BOOT-INF/classes/".length()) {
                        classes.putNextEntry(new ZipEntry(name.substring("BOOT-INF/classes/".length())));
                        if (!entry.isDirectory()) {
                            try (InputStream in = zip.getInputStream(entry)) {
                                in.transferTo(classes);
                            }
                        }
                        classes.closeEntry();
                    } else if (name.startsWith("BOOT-INF/lib/") && !entry.isDirectory()) {
                        Path out = lib.resolve(name.substring("BOOT-INF/lib/".length())).normalize();
                        if (!lib.equals(out.getParent())) {
                            throw new IOException("entry outside the jar's folders: " + name);
                        }
                        try (InputStream in = zip.getInputStream(entry)) {
                            Files.copy(in, out);
                        }
                    }
                }
            }
        }
    }

    /** The libraries as the copy's manifest names them ({@code lib/x.jar}), in the order of classpath.idx. */
    private static List<String> libraries(ZipFile zip) throws IOException {
        ZipEntry index = zip.getEntry("BOOT-INF/classpath.idx");
        if (index == null) {
            throw new IOException("no BOOT-INF/classpath.idx in " + zip.getName());
        }
        List<String> libs = new ArrayList<>();
        try (InputStream in = zip.getInputStream(index)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String entry = line.trim();
                if (entry.startsWith("- \"BOOT-INF/lib/") && entry.endsWith("\"")) {
                    String file = entry.substring("- \"BOOT-INF/lib/".length(), entry.length() - 1);
                    if (file.contains("/") || file.contains(" ") || file.contains("..")) {
                        throw new IOException("unexpected library name " + file);
                    }
                    libs.add("lib/" + file);
                }
            }
        }
        return libs;
    }

    /**
     * Keeps this copy and the two newest others: a server still running from an older copy loads classes from it
     * lazily, so a copy is only removed once two newer builds have been started here.
     */
    private static void removeOthers(Path home, String keep) {
        try (Stream<Path> copies = Files.list(home)) {
            long hourAgo = System.currentTimeMillis() - 3_600_000;
            List<Path> others = new ArrayList<>();
            for (Path p : copies.toList()) {
                String name = p.getFileName().toString();
                if (name.contains(".partial-")) {
                    if (modified(p) < hourAgo) {
                        delete(p); // left by a start that was killed while unpacking
                    }
                } else if (!name.equals(keep)) {
                    others.add(p);
                }
            }
            others.sort(java.util.Comparator.comparing(UnpackedLaunch::modified).reversed());
            others.stream().skip(2).forEach(UnpackedLaunch::delete);
        } catch (IOException e) {
            // an old copy left behind costs disk only
        }
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static void delete(Path path) {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort
        }
    }
}

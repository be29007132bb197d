package io.podfleet.support;

import org.springframework.util.FileSystemUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Temporary folders for test contexts, deleted when the test JVM exits: Spring caches contexts across test classes,
 * so a context's folder outlives any one class (runs left a folder per context in /tmp, gigabytes over a day).
 */
public final class TempFolders {

    private TempFolders() {
    }

    public static Path create(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> FileSystemUtils.deleteRecursively(dir.toFile())));
        return dir;
    }
}

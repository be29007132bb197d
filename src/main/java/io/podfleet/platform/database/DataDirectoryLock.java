package io.podfleet.platform.database;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock on {@code <data-dir>/podfleet.lock}, held for the life of the server. The kernel releases it
 * when the process dies, even on kill -9, so a crashed server never blocks the next start, while a second live
 * server on the same folder is refused before it can touch the database files.
 */
public final class DataDirectoryLock implements AutoCloseable {

    private final Path dataDir;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(Path dataDir, FileChannel channel, FileLock lock) {
        this.dataDir = dataDir;
        this.channel = channel;
        this.lock = lock;
    }

    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path dir = dataDir.toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path lockFile = dir.resolve("podfleet.lock");
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new DataDirectoryInUse(dir);
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
        channel.force(true);
        return new DataDirectoryLock(dir, channel, lock);
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) { // closing twice is harmless: a failed start may close it from two places
            lock.release();
            channel.close();
        }
    }

    /** Thrown when another live server holds the data folder. */
    public static final class DataDirectoryInUse extends IllegalStateException {
        DataDirectoryInUse(Path dir) {
            super("Data directory " + dir + " is in use by another Podfleet server (lock held on "
                    + dir.resolve("podfleet.lock") + "). Stop that server, or give this one its own"
                    + " --podfleet.data-dir, or point both at one external PostgreSQL with spring.datasource.url.");
        }
    }
}

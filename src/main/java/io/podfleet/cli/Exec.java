package io.podfleet.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Replaces this JVM with another program in the same process (POSIX {@code execv}), the way a shell script ends in
 * {@code exec java ...}: same process id, same terminal and signals, nothing left behind to supervise. Linux only.
 */
final class Exec {

    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int SIG_SETMASK = 2;
    private static final int SIGSET_BYTES = 128; // glibc's sigset_t

    private Exec() {
    }

    interface LibC extends Library {
        int execv(String path, String[] argv);

        int fcntl(int fd, int cmd, int arg);

        int sigprocmask(int how, byte[] set, Pointer oldSet);
    }

    /** Does not return when it works; throws when the program could not be started in this process. */
    static void replaceThisProcess(List<String> argv) throws IOException {
        LibC libc;
        try {
            libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
            throw new IOException("no C library through JNA: " + e.getMessage(), e);
        }
        closeOnExec(libc);
        // the JVM blocks some signals on its threads; the new program must start with none blocked
        libc.sigprocmask(SIG_SETMASK, new byte[SIGSET_BYTES], null);
        System.out.flush();
        System.err.flush();
        libc.execv(argv.get(0), argv.toArray(String[]::new));
        throw new IOException("execv " + argv.get(0) + " failed, errno " + Native.getLastError());
    }

    /** The JVM's open files (the jar, its own) are not the new program's business: only 0, 1 and 2 are inherited. */
    private static void closeOnExec(LibC libc) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                int n = Integer.parseInt(fd.getFileName().toString());
                if (n > 2) {
                    libc.fcntl(n, F_SETFD, FD_CLOEXEC);
                }
            }
        }
    }
}

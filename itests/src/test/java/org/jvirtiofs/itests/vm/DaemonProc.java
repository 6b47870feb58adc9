package org.jvirtiofs.itests.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What a daemon holds, read from /proc/PID, for tests that check it comes back to a baseline. */
final class DaemonProc {
    /** A reading that may fail with IOException. */
    @FunctionalInterface
    interface Reading<T> {
        T read() throws IOException;
    }

    private DaemonProc() {
    }

    /**
     * Open fds, JAR files left out: a class loader opens a bundle's JAR when it first loads a class
     * from it and keeps it open, whenever that happens (jnr-posix's, on a thread the daemon starts
     * beside its socket, was seen opening after a baseline). Those are the JVM's, not a guest's.
     */
    static long openFds(long pid) throws IOException {
        long fds = 0;
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    if (!Files.readSymbolicLink(fd).toString().endsWith(".jar")) {
                        fds++;
                    }
                } catch (IOException closed) {
                    // closed meanwhile
                }
            }
        }
        return fds;
    }

    /** Threads named vhost-user*: the backend's own (the JVM's come and go). */
    static long vhostUserThreads(long pid) throws IOException {
        long threads = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("vhost-user")) {
                        threads++;
                    }
                } catch (IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return threads;
    }

    /** Mappings of memfds: a guest's RAM as the daemon maps it. */
    static long memfdMappings(long pid) throws IOException {
        try (Stream<String> maps = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return maps.filter(l -> l.contains("/memfd:")).count();
        }
    }

    /** Private resident memory (RssAnon) in KiB. */
    static long rssAnonKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("RssAnon:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    /**
     * A baseline: the reading once it stayed the same for 1.5 s (at most 15 s). A daemon whose
     * socket just appeared is still finishing its start on other threads (jnr-posix's binding is
     * made beside the socket), and what they open then is not a guest's: a baseline taken at the
     * socket counted such an fd as leaked (seen in CI).
     */
    static <T> T steady(Reading<T> reading) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        T last = reading.read();
        long since = System.nanoTime();
        while (System.nanoTime() - since < TimeUnit.MILLISECONDS.toNanos(1500) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            T now = reading.read();
            if (!now.equals(last)) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    /**
     * The reading once it equals {@code expected}, or what it is after 30 s: a daemon cleans up after a
     * guest asynchronously. 10 s was once too short in CI (one fd more, gone by the failure's own
     * listing right after), with a TCG guest starting beside it on both cores.
     */
    static <T> T settle(Reading<T> reading, T expected) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T now = reading.read();
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            now = reading.read();
        }
        return now;
    }

    /** The md5 of a file, as busybox md5sum prints it. */
    static String md5(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** bin/jvirtiofsd run as QEMU's users run virtiofsd: a process on a socket, stopped with SIGTERM. */
final class JvirtiofsdProcess implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final Path socket;
    private final Path log;

    private JvirtiofsdProcess(Process process, Path socket, Path log) {
        this.process = process;
        this.socket = socket;
        this.log = log;
    }

    /** Starts jvirtiofsd on {@code socket} with {@code options} and waits for the socket. */
    static JvirtiofsdProcess start(Path socket, Path log, String... options) throws IOException, InterruptedException {
        return start(Map.of(), socket, log, options);
    }

    /** Starts jvirtiofsd as {@link #start(Path, Path, String...)}, with {@code env} added to its environment. */
    static JvirtiofsdProcess start(Map<String, String> env, Path socket, Path log, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
                "--socket-path=" + socket));
        command.addAll(List.of(options));
        // a socket left by a daemon that was killed is replaced: then the log says when
        boolean stale = Files.exists(socket);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process p = builder.start();
        JvirtiofsdProcess daemon = new JvirtiofsdProcess(p, socket, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!daemon.listening(stale) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!daemon.listening(stale)) {
            daemon.close();
            throw new AssertionError("no socket from jvirtiofsd:\n" + daemon.log());
        }
        return daemon;
    }

    private boolean listening(boolean stale) {
        return Files.exists(socket) && (!stale || log().contains("listening on " + socket));
    }

    /** SIGKILL, as a crash or the OOM killer ends it; waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "jvirtiofsd survived SIGKILL");
    }

    /** The daemon's pid: bin/jvirtiofsd execs the JVM. */
    long pid() {
        return process.pid();
    }

    /** Whether the daemon still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    Path socket() {
        return socket;
    }

    /** What the daemon printed so far. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line of the log containing {@code text}, waited for up to {@code seconds}; null if none came. */
    String awaitLine(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            String found = log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
            if (found != null || System.nanoTime() >= deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, as libvirt stops virtiofsd; fails if the daemon does not stop. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return; // killed by the test
        }
        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "jvirtiofsd did not stop on SIGTERM");
    }
}

package org.jvirtiofs.virtiofsd;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.vhostuser.LoopbackQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path rehearsed while the daemon waits for its guest, so the guest's first
 * workload does not run on cold code. A JVM interprets new code, then compiles it twice (C1,
 * then C2) once it has run often enough, and on a small machine those compilers take CPU from
 * the guest; a guest that lists a tree (find, READDIRPLUS) for the first time minutes after
 * boot meets that code cold. So, from the start until the guest's first request or the time
 * given: a provider of the share's type and options, on a temporary directory of its own,
 * serves {@link WarmUpRequests} rounds, each behind a session and a {@link LoopbackQueue} of its
 * own (the same ring, worker and session code a guest's queue runs). The share itself is never
 * touched; the temporary directory is removed when it ends.
 */
final class WarmUp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final long JOIN_MILLIS = 15_000;

    private final FilesystemFactory factory;
    private final Map<String, Object> options;
    private final long budgetNanos;
    private final BooleanSupplier guestCame;
    private final Path parent;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long requests;
    private volatile String outcome;

    private WarmUp(FilesystemFactory factory, Map<String, ?> shareOptions, int seconds, BooleanSupplier guestCame,
                   Path parent) {
        this.factory = factory;
        this.options = new LinkedHashMap<>(shareOptions);
        this.budgetNanos = seconds * 1_000_000_000L;
        this.guestCame = guestCame;
        this.parent = parent;
        this.thread = new Thread(this, "jvirtiofsd-warm-up");
        thread.setDaemon(true);
    }

    /**
     * Starts warming up with the share's provider {@code factory} and options, for at most
     * {@code seconds} and until {@code guestCame} (asked between rounds, a few milliseconds apart).
     */
    static WarmUp start(FilesystemFactory factory, Map<String, ?> shareOptions, int seconds,
                        BooleanSupplier guestCame) {
        return start(factory, shareOptions, seconds, guestCame, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #start(FilesystemFactory, Map, int, BooleanSupplier)}, its directory made in {@code parent}. */
    static WarmUp start(FilesystemFactory factory, Map<String, ?> shareOptions, int seconds,
                        BooleanSupplier guestCame, Path parent) {
        WarmUp w = new WarmUp(factory, shareOptions, seconds, guestCame, parent);
        w.thread.start();
        return w;
    }

    /** Asks it to end after the round at hand; does not wait. */
    void stop() {
        stopping = true;
    }

    /** Asks it to end and waits until it has cleaned up. */
    void stopAndWait() {
        stop();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests served so far. */
    long requests() {
        return requests;
    }

    /** How it ended, as logged; null while it runs. */
    String outcome() {
        return outcome;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        String end;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(parent, "jvirtiofsd-warm-up-");
            LOG.info("warm-up on {} until the guest's first request, at most {} s", dir, budgetNanos / 1_000_000_000L);
            end = rounds(dir, start);
        } catch (IOException | FsException | TimeoutException | RuntimeException e) {
            end = "ended early: " + e.getMessage();
        } finally {
            if (dir != null) {
                removeTree(dir);
            }
        }
        outcome = String.format("%d requests in %.1f s, %s", requests, (System.nanoTime() - start) / 1e9, end);
        LOG.info("warm-up: {}", outcome);
    }

    private String rounds(Path dir, long start) throws IOException, FsException, TimeoutException {
        Map<String, Object> o = new LinkedHashMap<>(options);
        o.put(FilesystemFactory.OPTION_SOURCE, dir.toString());
        o.put(FilesystemFactory.OPTION_READONLY, false);
        FuseFilesystem fs = factory.create(o);
        WarmUpRequests r = new WarmUpRequests((Integer) Files.getAttribute(dir, "unix:uid"),
                (Integer) Files.getAttribute(dir, "unix:gid"));
        try {
            for (int round = 0; !stopping && !guestCame.getAsBoolean() && System.nanoTime() - start < budgetNanos;
                    round++) {
                session(fs, r, round);
            }
        } finally {
            requests = r.sent();
            fs.close();
        }
        return guestCame.getAsBoolean() ? "stopped by the guest's first request"
                : stopping ? "stopped" : "its time was up";
    }

    /**
     * One round in a session and queue of its own, as the guest's will be: the JIT sees what a
     * new session and queue do first (INIT, a new caller, views and arrays made on first use)
     * among the steady requests, and compiles it in rather than leaving a trap that the guest's
     * first requests would spring, sending its code back to the interpreter.
     */
    private static void session(FuseFilesystem fs, WarmUpRequests r, int round) throws IOException,
            TimeoutException {
        // observed as the guest's session is, and served through the guest's handler class
        FuseSession session = new FuseSession(fs, SessionOptions.defaults(), new RequestTally());
        try (LoopbackQueue queue = LoopbackQueue.open(Virtiofsd.requestHandler(session, () -> { }),
                WarmUpRequests.REQUEST_ROOM, WarmUpRequests.REPLY_ROOM, "jvirtiofsd-warm-up-vq")) {
            r.init(queue, 1000 + round % 1000);
            r.round("warm-up-" + round);
        } finally {
            session.destroy();
        }
    }

    private static void removeTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.warn("cannot remove the warm-up's directory {}: {}", dir, e.getMessage());
        }
    }
}

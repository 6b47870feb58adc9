package org.jvirtiofs.vhostuser.warmup;

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
import org.jvirtiofs.vhostuser.LoopbackQueue;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.osgi.annotation.versioning.ConsumerType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path rehearsed while a share waits for its guest, so the guest's first
 * workload does not run on cold code. A JVM interprets new code, then compiles it twice (C1,
 * then C2) once it has run often enough, and on a small machine those compilers take CPU from
 * the guest; a guest that lists a tree (find, READDIRPLUS) for the first time minutes after
 * boot meets that code cold. So, from the start until the guest's first request or the time
 * given: a provider of the share's type and options, on a temporary directory of its own,
 * serves {@link WarmUpRequests} rounds, each behind a session and a {@link LoopbackQueue} of its
 * own (the same ring, worker and session code a guest's queue runs). The share itself is never
 * touched; the temporary directory is removed when it ends. Used by jvirtiofsd, and by the
 * platform's vhost-user shares whose configuration asks for it.
 */
public final class WarmUp implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    private static final long JOIN_MILLIS = 15_000;

    private final String name;
    private final FilesystemFactory factory;
    private final Map<String, Object> options;
    private final Sessions sessions;
    private final long budgetNanos;
    private final BooleanSupplier guestCame;
    private final Path parent;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long requests;
    private volatile String outcome;

    /**
     * How the guest's session and its queue's handler are made. A round's are made by the same
     * code, so they are of the guest's classes (a handler's lambda is a class per place it is
     * written) and the JIT's code compiled on them stays valid when the guest comes.
     */
    @ConsumerType
    public interface Sessions {
        /** A session serving {@code filesystem}, observed as the guest's is. */
        FuseSession session(FuseFilesystem filesystem);

        /** The handler a queue serving {@code session} is given. */
        RequestHandler handler(FuseSession session);
    }

    private WarmUp(String name, FilesystemFactory factory, Map<String, ?> shareOptions, int seconds,
                   BooleanSupplier guestCame, Sessions sessions, Path parent) {
        this.name = name;
        this.factory = factory;
        this.options = new LinkedHashMap<>(shareOptions);
        this.sessions = sessions;
        this.budgetNanos = seconds * 1_000_000_000L;
        this.guestCame = guestCame;
        this.parent = parent;
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    /**
     * Whether a warm-up can serve a provider of {@code type} away from the share's data: the
     * passthrough provider serves its {@code source} option, which the warm-up replaces with a
     * scratch directory; the memory provider makes a tree of its own. Any other (the overlay's
     * layers, a plugin's store) would be served where its options point, so it is not warmed up.
     */
    public static boolean supports(String type) {
        return "passthrough".equals(type) || "memory".equals(type);
    }

    /**
     * Starts warming up with the share's provider {@code factory} and options, for at most
     * {@code seconds} and until {@code guestCame} (asked between rounds, a few milliseconds apart),
     * in the temporary-file directory. {@code name} names its thread, its directory and its log
     * lines.
     */
    public static WarmUp start(String name, FilesystemFactory factory, Map<String, ?> shareOptions, int seconds,
                               BooleanSupplier guestCame, Sessions sessions) {
        return start(name, factory, shareOptions, seconds, guestCame, sessions,
                Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** As {@link #start(String, FilesystemFactory, Map, int, BooleanSupplier, Sessions)}, its directory in {@code parent}. */
    public static WarmUp start(String name, FilesystemFactory factory, Map<String, ?> shareOptions, int seconds,
                               BooleanSupplier guestCame, Sessions sessions, Path parent) {
        WarmUp w = new WarmUp(name, factory, shareOptions, seconds, guestCame, sessions, parent);
        w.thread.start();
        return w;
    }

    /** Asks it to end after the round at hand; does not wait. */
    public void stop() {
        stopping = true;
    }

    /** Asks it to end and waits until it has cleaned up. */
    public void stopAndWait() {
        stop();
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Requests served, once it has ended. */
    public long requests() {
        return requests;
    }

    /** How it ended, as logged; null while it runs. */
    public String outcome() {
        return outcome;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        String end;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(parent, name + "-");
            LOG.info("{} on {} until the guest's first request, at most {} s", name, dir,
                    budgetNanos / 1_000_000_000L);
            end = rounds(dir, start);
        } catch (IOException | FsException | TimeoutException | RuntimeException e) {
            end = "ended early: " + e.getMessage();
        } finally {
            if (dir != null) {
                removeTree(dir);
            }
        }
        outcome = String.format("%d requests in %.1f s, %s", requests, (System.nanoTime() - start) / 1e9, end);
        LOG.info("{}: {}", name, outcome);
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
    private void session(FuseFilesystem fs, WarmUpRequests r, int round) throws IOException,
            TimeoutException {
        FuseSession session = sessions.session(fs);
        try (LoopbackQueue queue = LoopbackQueue.open(sessions.handler(session),
                WarmUpRequests.REQUEST_ROOM, WarmUpRequests.REPLY_ROOM, name + "-vq")) {
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

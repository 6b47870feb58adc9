package org.jvirtiofs.vhostuser;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.SocketFlags;
import org.jvirtiofs.posix.Sockets;
import org.jvirtiofs.vhostuser.internal.BackendCounters;
import org.jvirtiofs.vhostuser.internal.Message;
import org.jvirtiofs.vhostuser.internal.SocketPidFile;
import org.jvirtiofs.vhostuser.internal.SocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running vhost-user-fs device backend: serves one frontend (QEMU) at a time on a Unix socket. */
public final class VhostUserBackend implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VhostUserBackend.class);
    private static final int BACKLOG = 1;

    private final SocketServer server;
    private final Thread thread;
    private final BackendCounters counters;
    private final String socketPath;
    /** The lock on socketPath + ".pid" while this backend serves there, or null. */
    private final SocketPidFile pidFile;
    private final AtomicBoolean stopped = new AtomicBoolean();

    private VhostUserBackend(SocketServer server, BackendCounters counters, String socketPath,
            SocketPidFile pidFile) {
        this.server = server;
        this.counters = counters;
        this.socketPath = socketPath;
        this.pidFile = pidFile;
        this.thread = new Thread(server, "vhost-user-socket");
        thread.setDaemon(true);
    }

    /**
     * Listens on {@code socketPath} (replacing a stale socket file) and serves frontends there.
     * {@code socketPath.pid}, locked while it serves, keeps a second backend from taking the path
     * over: that one fails, naming the first one's pid; so does a socket any other process listens on.
     *
     * @param requests serves request-queue chains (FUSE requests with room for their replies)
     * @param hiprio   serves hiprio-queue chains (FORGETs: readable only); should return 0
     */
    public static VhostUserBackend listen(String socketPath, BackendOptions options, RequestHandler requests,
                                          RequestHandler hiprio) throws IOException {
        int fd = -1;
        SocketPidFile pidFile = null;
        try {
            pidFile = SocketPidFile.lock(socketPath);
            refuseLive(socketPath);
            unlinkStale(socketPath);
            fd = Sockets.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
            Sockets.bind(fd, socketPath);
            Sockets.listen(fd, BACKLOG);
            return start(fd, options, requests, hiprio, socketPath, pidFile);
        } catch (IOException | PosixException | RuntimeException e) {
            Message.closeQuietly(fd);
            if (pidFile != null) {
                pidFile.close();
            }
            throw new IOException("cannot listen on " + socketPath + ": " + e.getMessage(), e);
        }
    }

    /** Serves frontends on an inherited listening socket ({@code --fd}, as libvirt passes it); takes ownership of it. */
    public static VhostUserBackend serve(int listeningFd, BackendOptions options, RequestHandler requests,
                                         RequestHandler hiprio) throws IOException {
        try {
            return start(listeningFd, options, requests, hiprio, null, null);
        } catch (PosixException e) {
            throw new IOException("cannot serve on fd " + listeningFd + ": " + e.getMessage(), e);
        }
    }

    private static VhostUserBackend start(int fd, BackendOptions options, RequestHandler requests,
                                          RequestHandler hiprio, String socketPath, SocketPidFile pidFile)
            throws PosixException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(hiprio, "hiprio");
        BackendCounters counters = new BackendCounters();
        ExecutorService pool = options.threadPoolSize() > 0 ? newPool(options.threadPoolSize()) : null;
        VhostUserBackend backend = new VhostUserBackend(
                new SocketServer(fd, options, requests, hiprio, pool, counters), counters, socketPath, pidFile);
        backend.thread.start();
        LOG.info("vhost-user backend listening on {}", socketPath != null ? socketPath : "fd " + fd);
        return backend;
    }

    private static ExecutorService newPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(threads, task -> {
            Thread t = new Thread(task, "vhost-user-pool-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * A socket someone still listens on belongs to a live process, though it keeps no pid file
     * here (any other program): never take it over. Probed from the JDK, whose classes a start
     * loads anyway, not through a native call a start does not otherwise make.
     */
    private static void refuseLive(String socketPath) throws IOException {
        Path path = Path.of(socketPath);
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
        } catch (IOException refused) {
            return; // stale, or no socket at all: unlinkStale tells
        }
        throw new IOException("it is in use by another process");
    }

    /** Removes a socket left by an earlier run; anything else at the path is not ours to delete. */
    private static void unlinkStale(String socketPath) throws PosixException {
        try {
            if (Fs.fstatat(AtFlags.AT_FDCWD, socketPath, AtFlags.AT_SYMLINK_NOFOLLOW).type() == FileMode.S_IFSOCK) {
                Fs.unlinkat(AtFlags.AT_FDCWD, socketPath, 0);
            }
        } catch (PosixException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    /** Counters and connection state now. */
    public BackendStatus status() {
        return new BackendStatus(server.running(), counters.connected, counters.connections.sum(),
                counters.requestsServed.sum(), counters.hiprioServed.sum(), counters.chainErrors.sum());
    }

    /** Disconnects the frontend (stopping its queues, unmapping its memory) and stops listening. */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        server.requestStop();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true; // the stop eventfd must outlive the socket thread: keep waiting
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        server.release();
        if (socketPath != null) {
            try {
                unlinkStale(socketPath);
            } catch (PosixException e) {
                LOG.debug("cannot remove {}: {}", socketPath, e.getMessage());
            }
        }
        if (pidFile != null) {
            pidFile.close(); // after the socket: a newcomer may take the path from now on
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }
}

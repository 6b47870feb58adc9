package org.jvirtiofs.vhostuser.internal;

import java.util.concurrent.ExecutorService;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.SocketFlags;
import org.jvirtiofs.posix.Sockets;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket thread: accepts one frontend at a time on the listening socket, runs its session
 * until it disconnects or breaks the protocol, tears it down, and listens again, so the next
 * QEMU can connect to the same socket.
 */
public final class SocketServer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketServer.class);

    private final int listenFd;
    private final BackendOptions options;
    private final RequestHandler requests;
    private final RequestHandler hiprio;
    private final ExecutorService pool;
    private final BackendCounters counters;
    private final int stopFd;
    private volatile boolean running = true;

    /** Takes ownership of {@code listenFd}; {@code pool} is null to serve chains inline. */
    public SocketServer(int listenFd, BackendOptions options, RequestHandler requests, RequestHandler hiprio,
                        ExecutorService pool, BackendCounters counters) throws PosixException {
        this.listenFd = listenFd;
        this.options = options;
        this.requests = requests;
        this.hiprio = hiprio;
        this.pool = pool;
        this.counters = counters;
        this.stopFd = Memory.eventfd(0, MemFlags.EFD_CLOEXEC | MemFlags.EFD_NONBLOCK);
    }

    /** Whether the server still accepts frontends. */
    public boolean running() {
        return running;
    }

    /** Makes {@link #run} return: wakes every wait of the socket thread. */
    public void requestStop() {
        running = false;
        try {
            Memory.eventfdWrite(stopFd, 1);
        } catch (PosixException e) {
            LOG.warn("cannot wake the vhost-user socket thread: {}", e.getMessage());
        }
    }

    @Override
    public void run() {
        try {
            int connection;
            while ((connection = accept()) >= 0) {
                serve(connection);
            }
        } catch (PosixException e) {
            LOG.error("vhost-user socket stopped: {}", e.getMessage());
        } finally {
            running = false;
            Message.closeQuietly(listenFd);
            if (pool != null) {
                pool.shutdown();
            }
        }
    }

    /** Closes the stop eventfd once the socket thread has ended. */
    public void release() {
        Message.closeQuietly(stopFd);
    }

    /** The next connection, or -1 when stopping. */
    private int accept() throws PosixException {
        PollSet poll = new PollSet(listenFd, stopFd);
        while (running) {
            poll.await(-1);
            if (poll.readable(1)) {
                return -1;
            }
            try {
                return Sockets.accept4(listenFd, SocketFlags.SOCK_CLOEXEC);
            } catch (PosixException e) {
                if (e.errno() != Errno.EINTR && e.errno() != Errno.ECONNABORTED) {
                    throw e; // a peer that gave up before we accepted it is no failure of ours
                }
            }
        }
        return -1;
    }

    /** Runs one frontend's session to its end; nothing it does can stop the server. */
    private void serve(int connection) {
        counters.connections.increment();
        counters.connected = true;
        LOG.info("vhost-user frontend connected");
        BackendSession session = new BackendSession(new FrontendChannel(connection, stopFd), options,
                requests, hiprio, pool, counters);
        try {
            session.serve();
            LOG.info("vhost-user frontend disconnected");
        } catch (ProtocolException e) {
            LOG.warn("dropping vhost-user frontend: {}", e.getMessage());
        } catch (PosixException e) {
            LOG.warn("dropping vhost-user frontend: {}", e.getMessage());
        } catch (FrontendChannel.StoppedException e) {
            LOG.info("vhost-user backend stopping; closing the frontend connection");
        } catch (RuntimeException e) {
            LOG.error("dropping vhost-user frontend after an internal error", e);
        } finally {
            session.close();
            counters.connected = false;
            frontendGone(requests);
            if (hiprio != requests) {
                frontendGone(hiprio);
            }
        }
    }

    private static void frontendGone(RequestHandler handler) {
        try {
            handler.frontendGone();
        } catch (RuntimeException e) {
            LOG.error("a request handler failed to forget the frontend that left", e);
        }
    }
}

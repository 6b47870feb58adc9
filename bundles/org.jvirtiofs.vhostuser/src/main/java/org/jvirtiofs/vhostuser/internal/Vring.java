package org.jvirtiofs.vhostuser.internal;

import java.util.concurrent.Executor;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vring's configuration as the SET_VRING_* messages build it, and the worker serving it
 * while it is ready: sized, addressed, kicked (or told there is no kick fd) and enabled.
 * Only the socket thread calls these methods; the worker is stopped around every change.
 */
final class Vring {
    private static final Logger LOG = LoggerFactory.getLogger(Vring.class);

    private final int index;
    private final RequestHandler handler;
    private final Executor pool;
    private final QueueStats stats;
    private final long stopTimeoutMillis;
    final EventSignal call = new EventSignal();
    final EventSignal err = new EventSignal();
    private int size;
    private int base;
    private VringAddresses addresses;
    private boolean kicked;
    private int kickFd = -1;
    private boolean enabled;
    private QueueWorker worker;
    private boolean stuck;

    Vring(int index, RequestHandler handler, Executor pool, QueueStats stats, long stopTimeoutMillis) {
        this.index = index;
        this.handler = handler;
        this.pool = pool;
        this.stats = stats;
        this.stopTimeoutMillis = stopTimeoutMillis;
    }

    void setSize(int size) {
        this.size = size;
    }

    void setBase(int base) {
        this.base = base;
    }

    void setAddresses(VringAddresses addresses) {
        this.addresses = addresses;
    }

    /** Installs a kick fd (-1: none, poll the ring) and marks the ring started, as a kick would. */
    void setKick(int fd) {
        Message.closeQuietly(kickFd);
        kickFd = fd;
        kicked = true;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    /**
     * Stops the worker, keeping the ring position for a later {@link #resume}. False when the
     * worker is stuck in a handler: it may still touch guest memory, so nothing may be unmapped.
     */
    boolean pause() {
        if (worker == null) {
            return !stuck;
        }
        boolean stopped = worker.stop(stopTimeoutMillis);
        base = worker.lastAvailIdx(); // stable even if stuck: a stopping worker pops no more
        worker = null;
        if (!stopped) {
            LOG.error("virtqueue {}: a handler did not return within {} ms; the queue stays stopped",
                    index, stopTimeoutMillis);
            stuck = true;
        }
        return stopped;
    }

    /** Starts a worker if the ring is ready; a ring whose addresses do not translate stays stopped. */
    void resume(GuestMemory memory, long features) {
        if (worker != null || !kicked || !enabled || size == 0 || addresses == null) {
            return;
        }
        if (stuck) {
            LOG.error("virtqueue {}: not restarted, an earlier handler is still running", index);
            return;
        }
        try {
            Virtqueue queue = Virtqueue.open(memory, addresses, size, base, features, call);
            worker = new QueueWorker(index, queue, kickFd, handler, pool, stats, err);
            worker.start();
            LOG.debug("virtqueue {} started: size {}, base {}, {}", index, size, base, addresses);
        } catch (RejectedRequestException | PosixException e) {
            LOG.error("virtqueue {} cannot start: {}", index, e.getMessage());
            worker = null;
            signalError();
        }
    }

    /** VHOST_USER_GET_VRING_BASE: stops the ring until its next SET_VRING_KICK; returns the next avail index. */
    int stop() {
        pause();
        Message.closeQuietly(kickFd);
        kickFd = -1;
        kicked = false;
        return base;
    }

    /** Stops the worker and releases every fd; true unless the worker is stuck. */
    boolean close() {
        boolean stopped = pause();
        Message.closeQuietly(kickFd);
        kickFd = -1;
        kicked = false;
        call.close();
        err.close();
        return stopped;
    }

    /** RESET_OWNER / RESET_DEVICE: stops and forgets everything the frontend configured. */
    void reset() {
        close();
        size = 0;
        base = 0;
        addresses = null;
        enabled = false;
    }

    private void signalError() {
        try {
            err.signal();
        } catch (PosixException e) {
            LOG.debug("virtqueue {}: cannot signal the err fd: {}", index, e.getMessage());
        }
    }
}

package org.jvirtiofs.vhostuser.internal;

import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;

/**
 * An eventfd the frontend gave us to signal (a vring's call or err fd). The frontend may replace
 * it at any time while workers signal it, so both happen under one lock: a worker never writes
 * to an fd number that was closed and perhaps reused.
 */
public final class EventSignal {
    private int fd = -1;

    /** Installs {@code newFd} (-1 for none) and closes the previous one. */
    public synchronized void replace(int newFd) {
        Message.closeQuietly(fd);
        fd = newFd;
    }

    /** Adds 1 to the eventfd, if there is one. */
    public synchronized void signal() throws PosixException {
        if (fd >= 0) {
            Memory.eventfdWrite(fd, 1);
        }
    }

    /** Closes the fd; later signals do nothing. */
    public void close() {
        replace(-1);
    }
}

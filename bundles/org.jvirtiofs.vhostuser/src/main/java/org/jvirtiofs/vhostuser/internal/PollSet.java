package org.jvirtiofs.vhostuser.internal;

import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PollFlags;
import org.jvirtiofs.posix.PosixException;

/** A fixed set of fds waited on for input with poll(2), retried on EINTR; the arrays are reused between waits. */
final class PollSet {
    private static final int TROUBLE = PollFlags.POLLERR | PollFlags.POLLHUP | PollFlags.POLLNVAL;

    private final int[] fds;
    private final int[] events;
    private final int[] revents;

    PollSet(int... fds) {
        this.fds = fds.clone();
        this.events = new int[fds.length];
        this.revents = new int[fds.length];
        java.util.Arrays.fill(events, PollFlags.POLLIN);
    }

    /** Waits until an fd is ready or {@code timeoutMillis} passed (negative: no limit); false on timeout. */
    boolean await(int timeoutMillis) throws PosixException {
        while (true) {
            try {
                return Io.poll(fds, events, revents, timeoutMillis) > 0;
            } catch (PosixException e) {
                if (e.errno() != Errno.EINTR) {
                    throw e;
                }
            }
        }
    }

    /** Whether fd {@code i} has input, or hung up (a read then returns end of file). */
    boolean readable(int i) {
        return revents[i] != 0;
    }

    /** Whether fd {@code i} reported an error or hang-up rather than input. */
    boolean failed(int i) {
        return (revents[i] & TROUBLE) != 0 && (revents[i] & PollFlags.POLLIN) == 0;
    }
}

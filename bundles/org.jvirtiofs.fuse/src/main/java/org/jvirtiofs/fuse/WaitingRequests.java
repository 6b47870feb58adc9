package org.jvirtiofs.fuse;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The requests that may wait (a lock waiting until granted) in progress, by unique, so that a
 * FUSE_INTERRUPT for one ends its wait: its thread is interrupted, the provider replies EINTR,
 * and the kernel restarts or fails the call as the signal's handler asks. A /dev/fuse mount
 * sends INTERRUPT when a signal reaches a process whose request was read; without it a waiting
 * process could not even be killed until the lock came. virtio-fs never sends it.
 *
 * <p>The kernel sends INTERRUPT as soon as the request is read, so another reader may see it
 * before the waiting request is registered here: an INTERRUPT for a unique not waiting is kept
 * (the last {@value #UNMATCHED_KEPT}; uniques are never reused within a connection) and
 * delivered if that request begins later. One monitor guards it all: only waiting requests and
 * INTERRUPTs come here, never the fast path.
 */
final class WaitingRequests {
    /** INTERRUPTs kept for requests not (or no longer) waiting; most are for other requests. */
    static final int UNMATCHED_KEPT = 256;

    private final Map<Long, Waiter> waiting = new HashMap<>();
    private final Set<Long> unmatched = new LinkedHashSet<>();

    /** One waiting request on its thread. */
    static final class Waiter {
        private final long unique;
        private final Thread thread;
        /** The thread was interrupted before it began (a transport stopping): leave that be. */
        private final boolean interruptedBefore;
        private boolean interrupted;

        private Waiter(long unique, Thread thread) {
            this.unique = unique;
            this.thread = thread;
            this.interruptedBefore = thread.isInterrupted();
        }
    }

    /** The calling thread begins serving {@code unique}; interrupted at once if an INTERRUPT came first. */
    synchronized Waiter begin(long unique) {
        Waiter w = new Waiter(unique, Thread.currentThread());
        waiting.put(unique, w);
        if (unmatched.remove(unique)) {
            deliver(w);
        }
        return w;
    }

    /**
     * {@code w} is answered: no INTERRUPT reaches its thread from now on, and the interrupt one
     * delivered is cleared, so that the thread's next task does not see it.
     */
    synchronized void end(Waiter w) {
        waiting.remove(w.unique);
        if (w.interrupted && !w.interruptedBefore) {
            Thread.interrupted();
        }
    }

    /** An INTERRUPT for {@code unique}: ends its wait, now or when it begins. */
    synchronized void interrupt(long unique) {
        Waiter w = waiting.get(unique);
        if (w != null) {
            deliver(w);
            return;
        }
        if (unmatched.size() >= UNMATCHED_KEPT) {
            var oldest = unmatched.iterator();
            oldest.next();
            oldest.remove();
        }
        unmatched.add(unique);
    }

    /** A new connection: its uniques start again. */
    synchronized void clear() {
        unmatched.clear();
    }

    private static void deliver(Waiter w) {
        w.interrupted = true;
        w.thread.interrupt();
    }
}

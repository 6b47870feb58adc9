package org.jvirtiofs.share;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;

/**
 * Admits requests to a share's current provider, and lets the share stop admitting them and wait
 * until none is in flight (quiesce), so the provider can be replaced between two requests.
 *
 * <p>A request that arrives while the gate is closed or has no provider waits, up to the wait
 * bound, and then fails with EIO: a guest must never hang on a provider that does not return.
 * The queue worker that carries it waits with it, which is what stops the share taking chains.
 */
final class ProviderGate {
    private final Object lock = new Object();
    private final long waitNanos;
    private FuseFilesystem current; // guarded by lock
    private boolean closed; // guarded by lock
    private int inFlight; // guarded by lock

    /** A gate with no provider yet, whose requests wait at most {@code waitNanos}. */
    ProviderGate(long waitNanos) {
        this.waitNanos = waitNanos;
    }

    /** Admits one request to the current provider, waiting (bounded) while there is none; EIO after. */
    FuseFilesystem enter() throws FsException {
        synchronized (lock) {
            if (!closed && current != null) {
                inFlight++;
                return current;
            }
            long deadline = System.nanoTime() + waitNanos;
            while (closed || current == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw FsException.of(Errno.EIO, "no provider");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw FsException.of(Errno.EIO, "interrupted");
                }
            }
            inFlight++;
            return current;
        }
    }

    /** Admits one request without waiting, or returns null if the gate is closed or empty. */
    FuseFilesystem tryEnter() {
        synchronized (lock) {
            if (closed || current == null) {
                return null;
            }
            inFlight++;
            return current;
        }
    }

    /** Ends a request {@link #enter} or {@link #tryEnter} admitted. */
    void exit() {
        synchronized (lock) {
            if (--inFlight == 0 && closed) {
                lock.notifyAll();
            }
        }
    }

    /** Requests being served now. */
    int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /** The provider requests go to, or null. */
    FuseFilesystem current() {
        synchronized (lock) {
            return current;
        }
    }

    /**
     * Stops admitting requests and waits until none is in flight.
     *
     * @return the provider that was serving (null if none); the gate stays closed until {@link #open}
     * @throws TimeoutException if requests are still in flight after {@code timeoutNanos}; the gate is open again
     */
    FuseFilesystem quiesce(long timeoutNanos) throws TimeoutException {
        synchronized (lock) {
            closed = true;
            long deadline = System.nanoTime() + timeoutNanos;
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    closed = false;
                    lock.notifyAll();
                    throw new TimeoutException(inFlight + " request(s) still in flight");
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    closed = false;
                    lock.notifyAll();
                    throw new TimeoutException("interrupted");
                }
            }
            return current;
        }
    }

    /** Admits requests again, to {@code next}; with null they wait (bounded) for a later open. */
    void open(FuseFilesystem next) {
        synchronized (lock) {
            current = next;
            closed = false;
            lock.notifyAll();
        }
    }
}

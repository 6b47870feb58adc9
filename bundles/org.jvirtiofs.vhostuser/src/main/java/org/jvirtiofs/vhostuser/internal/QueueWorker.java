package org.jvirtiofs.vhostuser.internal;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform thread serving one virtqueue: waits for a kick, drains every available chain
 * (inline, in order, or through a pool), re-arms notifications and drains again if the guest
 * added chains meanwhile. A chain whose request may wait for a later one (the handler's
 * {@link RequestHandler#mayBlock}: a lock waiting until granted) is served on a waiter thread,
 * at most {@value #MAX_WAITERS} at a time, so the queue goes on; otherwise the unlock that would
 * end the wait could never be served. Stopping finishes the chain at hand, interrupts the
 * waiters and waits for them and pooled chains, so the caller may unmap guest memory once
 * {@link #stop} returned true.
 */
public final class QueueWorker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueWorker.class);
    /** Without a kick fd (SET_VRING_KICK with the no-fd flag) the ring is polled at this period. */
    private static final int POLL_PERIOD_MILLIS = 1;
    /** Waiting requests served at once; more wait for a waiter thread in turn. */
    static final int MAX_WAITERS = 64;

    private final int index;
    private final Virtqueue queue;
    private final int kickFd;
    private final RequestHandler handler;
    private final Executor pool;
    private final QueueStats stats;
    private final EventSignal err;
    private final Object inFlightLock = new Object();
    private final int wakeFd;
    private final PollSet poll;
    /** The chain each inline request is parsed into: one at a time, so its views are reused. */
    private final DescriptorChain inline = new DescriptorChain();
    /** Threads for requests that may wait, made on the first such request. */
    private ExecutorService waiters;
    private boolean wakeClosed;
    private int inFlight;
    private volatile boolean stopping;
    private Thread thread;

    /** {@code kickFd} stays the caller's; {@code pool} is null to serve inline. */
    public QueueWorker(int index, Virtqueue queue, int kickFd, RequestHandler handler, Executor pool,
                       QueueStats stats, EventSignal err) throws PosixException {
        this.index = index;
        this.queue = queue;
        this.kickFd = kickFd;
        this.handler = handler;
        this.pool = pool;
        this.stats = stats;
        this.err = err;
        this.wakeFd = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
        this.poll = kickFd >= 0 ? new PollSet(wakeFd, kickFd) : new PollSet(wakeFd);
    }

    /** Starts the thread. */
    public void start() {
        start("vhost-user-vq" + index);
    }

    /** Starts the thread, named {@code name}. */
    public void start(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Asks the worker to stop and waits up to {@code timeoutMillis}; true once it has stopped. */
    public boolean stop(long timeoutMillis) {
        stopping = true;
        wake();
        try {
            thread.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** The next avail index, valid once stopped. */
    public int lastAvailIdx() {
        return queue.lastAvailIdx();
    }

    @Override
    public void run() {
        try {
            drain();
            while (!stopping && awaitKick()) {
                drain();
            }
        } catch (BrokenRingException e) {
            LOG.error("virtqueue {} stopped: {}", index, e.getMessage());
            signalError();
        } catch (PosixException e) {
            LOG.error("virtqueue {} stopped: {}", index, e.getMessage());
            signalError();
        } catch (RuntimeException | Error e) {
            LOG.error("virtqueue {} stopped", index, e);
            signalError();
        } finally {
            if (waiters != null) {
                // a waiting lock ends with EINTR when its thread is interrupted; those not yet
                // started are served here, interrupted from the start, so none is left unused
                List<Runnable> queued = waiters.shutdownNow();
                Thread.currentThread().interrupt();
                queued.forEach(Runnable::run);
                Thread.interrupted();
            }
            awaitInFlight();
            closeWake();
        }
    }

    /** Pops and serves chains until none is left after re-arming notifications. */
    private void drain() throws BrokenRingException, PosixException {
        do {
            DescriptorChain chain;
            while (!stopping && (chain = pool == null ? queue.pop(inline) : queue.pop()) != null) {
                dispatch(chain);
            }
        } while (!stopping && queue.rearm());
    }

    private void dispatch(DescriptorChain chain) throws PosixException {
        if (chain.error() != null) {
            LOG.warn("virtqueue {}: chain {} returned unread: {}", index, chain.head(), chain.error());
            stats.chainError();
            queue.complete(chain.head(), 0);
        } else if (handler.mayBlock(chain.readable())) {
            dispatchToWaiter(chain.detached());
        } else if (pool == null) {
            int length = serve(chain);
            stats.served(); // counted before the guest can see it
            queue.complete(chain.head(), length);
        } else {
            dispatchToPool(chain);
        }
    }

    private void dispatchToPool(DescriptorChain chain) throws PosixException {
        synchronized (inFlightLock) {
            inFlight++;
        }
        try {
            pool.execute(() -> completeFromPool(chain));
        } catch (RejectedExecutionException e) {
            completeFromPool(chain); // the pool is shutting down with the backend: serve it here
        }
    }

    private void dispatchToWaiter(DescriptorChain chain) throws PosixException {
        if (waiters == null) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor executor = new ThreadPoolExecutor(MAX_WAITERS, MAX_WAITERS, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), task -> {
                        Thread t = new Thread(task, "vhost-user-vq" + index + "-waiter-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            executor.allowCoreThreadTimeOut(true);
            waiters = executor;
        }
        synchronized (inFlightLock) {
            inFlight++;
        }
        try {
            waiters.execute(() -> completeFromPool(chain));
        } catch (RejectedExecutionException e) {
            completeFromPool(chain); // not after a stop began: cannot happen, but never lose a chain
        }
    }

    private void completeFromPool(DescriptorChain chain) {
        try {
            int length = serve(chain);
            stats.served();
            queue.complete(chain.head(), length);
        } catch (PosixException e) {
            LOG.error("virtqueue {}: cannot signal the guest: {}", index, e.getMessage());
        } finally {
            synchronized (inFlightLock) {
                inFlight--;
                inFlightLock.notifyAll();
            }
        }
    }

    /** Runs the handler; a failing handler costs its chain (used length 0), never the queue. */
    private int serve(DescriptorChain chain) {
        try {
            return chain.usedLength(handler.handle(chain.readable(), chain.writable()));
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            LOG.error("virtqueue {}: handler failed on chain {}", index, chain.head(), e);
            return 0;
        }
    }

    /** Blocks until a kick (true) or a stop request (false). */
    private boolean awaitKick() throws PosixException {
        while (!stopping) {
            if (kickFd < 0) {
                poll.await(POLL_PERIOD_MILLIS);
                return !stopping;
            }
            poll.await(-1);
            if (poll.failed(1)) {
                throw new PosixException(Errno.EBADF, "poll", "kick fd of virtqueue " + index);
            }
            if (poll.readable(1)) {
                Memory.eventfdRead(kickFd);
                return !stopping;
            }
        }
        return false;
    }

    private void awaitInFlight() {
        synchronized (inFlightLock) {
            while (inFlight > 0) {
                try {
                    inFlightLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void signalError() {
        try {
            err.signal();
        } catch (PosixException e) {
            LOG.debug("virtqueue {}: cannot signal the err fd: {}", index, e.getMessage());
        }
    }

    private synchronized void wake() {
        if (!wakeClosed) {
            try {
                Memory.eventfdWrite(wakeFd, 1);
            } catch (PosixException e) {
                LOG.debug("virtqueue {}: cannot wake the worker: {}", index, e.getMessage());
            }
        }
    }

    private synchronized void closeWake() {
        wakeClosed = true;
        Message.closeQuietly(wakeFd);
    }
}

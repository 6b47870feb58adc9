package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FsException;
import org.junit.jupiter.api.Test;

class LockOpsTest {

    static class LockFs extends RecordingFs {
        @Override
        public FileLock getlk(Context ctx, long nodeId, long handle, long owner, FileLock lock) {
            record("getlk", nodeId, handle, owner, lock);
            return new FileLock(10, FileLock.OFFSET_MAX, FileLock.F_WRLCK, 321);
        }

        @Override
        public void setlk(Context ctx, long nodeId, long handle, long owner, FileLock lock,
                boolean flock, boolean sleep) {
            record("setlk", nodeId, handle, owner, lock, flock, sleep);
        }
    }

    private final LockFs fs = new LockFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void getlkDecodesLockAndRepliesConflict() {
        Reply r = h.call(lk(FUSE_GETLK, 0)).assertOk(h.lastUnique(), 24);
        assertEquals(10, r.payload().getLong(0));
        assertEquals(Long.MAX_VALUE, r.payload().getLong(8));
        assertEquals(FileLock.F_WRLCK, r.payload().getInt(16));
        assertEquals(321, r.payload().getInt(20));
        assertArrayEquals(new Object[] {"getlk", 3L, 77L, 0xAAL,
            new FileLock(100, 199, FileLock.F_RDLCK, 55)}, fs.last());
    }

    @Test
    void setlkIsPosixAndDoesNotSleep() {
        h.call(lk(FUSE_SETLK, 0)).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"setlk", 3L, 77L, 0xAAL,
            new FileLock(100, 199, FileLock.F_RDLCK, 55), false, false}, fs.last());
    }

    @Test
    void setlkwWithFlockFlagSleepsAsFlock() {
        h.call(lk(FUSE_SETLKW, FuseConstants.FUSE_LK_FLOCK)).assertOk(h.lastUnique(), 0);
        assertEquals(true, fs.last()[5], "flock");
        assertEquals(true, fs.last()[6], "sleep");
    }

    /** Only a waiting lock may wait for a later request; its header is read across any split. */
    @Test
    void onlyAWaitingLockMayBlock() {
        byte[] setlkw = lk(FUSE_SETLKW, 0).bytes(9);
        assertTrue(h.session.mayBlock(Segs.split(setlkw)));
        assertTrue(h.session.mayBlock(Segs.split(setlkw, 3, 5, 6, 7)), "opcode split over three segments");
        assertFalse(h.session.mayBlock(Segs.split(lk(FUSE_SETLK, 0).bytes(10))));
        assertFalse(h.session.mayBlock(Segs.split(lk(FUSE_GETLK, 0).bytes(11))));
        assertFalse(h.session.mayBlock(Segs.split(java.util.Arrays.copyOf(setlkw, 20))), "shorter than a header");
        h.call(lk(FUSE_SETLKW, 0)).assertOk(h.lastUnique(), 0); // and the session serves it as before
    }

    /** A provider whose waiting lock is never granted: it waits until its thread is interrupted. */
    static class NeverGranted extends RecordingFs {
        final CountDownLatch waiting = new CountDownLatch(1);

        @Override
        public void setlk(Context ctx, long nodeId, long handle, long owner, FileLock lock,
                boolean flock, boolean sleep) throws FsException {
            waiting.countDown();
            try {
                Thread.sleep(TimeUnit.MINUTES.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FsException.of(Errno.EINTR);
            }
        }
    }

    /**
     * An INTERRUPT for a waiting lock ends its wait with EINTR (a signal to a process waiting on
     * a /dev/fuse mount), and the interrupt does not outlive the request on its thread.
     */
    @Test
    void anInterruptEndsAWaitingLock() throws Exception {
        NeverGranted never = new NeverGranted();
        Harness n = Harness.initialized(never);
        long u = n.nextUnique();
        byte[] setlkw = lk(FUSE_SETLKW, 0).bytes(u);
        CompletableFuture<Object[]> waiter = CompletableFuture.supplyAsync(() -> {
            Reply r = n.call(setlkw, 4096);
            return new Object[] {r, Thread.currentThread().isInterrupted()};
        });
        assertTrue(never.waiting.await(10, TimeUnit.SECONDS));
        assertEquals(0, n.call(Req.of(FUSE_INTERRUPT, 0).u64(u + 1000)).used(), "another request's");
        assertFalse(waiter.isDone(), "an INTERRUPT for another request ends nothing");
        assertEquals(0, n.call(Req.of(FUSE_INTERRUPT, 0).u64(u)).used(), "no reply of its own");
        Object[] done = waiter.get(10, TimeUnit.SECONDS);
        ((Reply) done[0]).assertError(u, Errno.EINTR);
        assertEquals(false, done[1], "the thread's interrupt was cleared");
    }

    /** An INTERRUPT read before its request (another reader was quicker) still ends the wait. */
    @Test
    void anInterruptThatCameFirstEndsTheWaitAtOnce() {
        Harness n = Harness.initialized(new NeverGranted());
        long u = n.nextUnique();
        n.call(Req.of(FUSE_INTERRUPT, 0).u64(u));
        n.call(lk(FUSE_SETLKW, 0).bytes(u), 4096).assertError(u, Errno.EINTR);
        assertFalse(Thread.currentThread().isInterrupted());
    }

    /**
     * A thread interrupted before the wait began (a transport stopping, serving what was queued)
     * stays interrupted, for the waits it serves next.
     */
    @Test
    void aStoppingTransportsInterruptIsLeftAsItWas() {
        Harness n = Harness.initialized(new NeverGranted());
        Thread.currentThread().interrupt();
        try {
            n.call(lk(FUSE_SETLKW, 0)).assertError(n.lastUnique(), Errno.EINTR);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    static Req lk(int opcode, int lkFlags) {
        return Req.of(opcode, 3).u64(77).u64(0xAA).u64(100).u64(199).u32(FileLock.F_RDLCK)
                .u32(55).u32(lkFlags).u32(0);
    }
}

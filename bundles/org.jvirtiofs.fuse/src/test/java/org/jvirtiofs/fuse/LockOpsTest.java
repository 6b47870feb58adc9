package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.FileLock;
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

    static Req lk(int opcode, int lkFlags) {
        return Req.of(opcode, 3).u64(77).u64(0xAA).u64(100).u64(199).u32(FileLock.F_RDLCK)
                .u32(55).u32(lkFlags).u32(0);
    }
}

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

    static Req lk(int opcode, int lkFlags) {
        return Req.of(opcode, 3).u64(77).u64(0xAA).u64(100).u64(199).u32(FileLock.F_RDLCK)
                .u32(55).u32(lkFlags).u32(0);
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FsCapability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** POSIX and flock locks through direct calls: owners, ranges, flush, handles. */
class LockTest {
    private static final FileLock WRITE_ALL = new FileLock(0, FileLock.OFFSET_MAX, FileLock.F_WRLCK, 7);
    private TestShare t;
    private long node;
    private long h1;
    private long h2;

    @BeforeEach
    void share() throws Exception {
        t = new TestShare();
        Entry f = t.createFile(ROOT, "f", "0123456789");
        node = f.nodeId();
        h1 = t.fs.open(t.ctx, node, TestShare.RDWR, false).handle();
        h2 = t.fs.open(t.ctx, node, TestShare.RDWR, false).handle();
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void hostLocksAreAskedForOnlyAsTheOptionsSay() throws Exception {
        Set<FsCapability> all = EnumSet.allOf(FsCapability.class);
        assertTrue(t.fs.init(all).containsAll(Set.of(FsCapability.POSIX_LOCKS, FsCapability.FLOCK_LOCKS)));
        for (boolean posix : new boolean[] {false, true}) {
            for (boolean flock : new boolean[] {false, true}) {
                try (TestShare other = new TestShare(o -> o.withLocks(posix, flock))) {
                    Set<FsCapability> accepted = other.fs.init(all);
                    assertEquals(posix, accepted.contains(FsCapability.POSIX_LOCKS), "posix " + posix);
                    assertEquals(flock, accepted.contains(FsCapability.FLOCK_LOCKS), "flock " + flock);
                }
            }
        }
    }

    @Test
    void posixLocksOfOneOwnerNeverConflictButOtherOwnersDo() throws Exception {
        t.fs.setlk(t.ctx, node, h1, 1, WRITE_ALL, false, false);
        t.fs.setlk(t.ctx, node, h2, 1, WRITE_ALL, false, false); // same owner, other handle
        assertErrno(Errno.EAGAIN, () -> t.fs.setlk(t.ctx, node, h2, 2, WRITE_ALL, false, false));
        FileLock conflict = t.fs.getlk(t.ctx, node, h2, 2, WRITE_ALL);
        assertEquals(FileLock.F_WRLCK, conflict.type());
        assertEquals(FileLock.OFFSET_MAX, conflict.end());
        assertEquals(FileLock.F_UNLCK, t.fs.getlk(t.ctx, node, h1, 1, WRITE_ALL).type());
    }

    @Test
    void disjointRangesAndSharedReadLocksCoexist() throws Exception {
        t.fs.setlk(t.ctx, node, h1, 1, new FileLock(0, 4, FileLock.F_WRLCK, 7), false, false);
        t.fs.setlk(t.ctx, node, h2, 2, new FileLock(5, 9, FileLock.F_WRLCK, 8), false, false);
        t.fs.setlk(t.ctx, node, h1, 1, new FileLock(20, 30, FileLock.F_RDLCK, 7), false, false);
        t.fs.setlk(t.ctx, node, h2, 2, new FileLock(20, 30, FileLock.F_RDLCK, 8), false, false);
        FileLock c = t.fs.getlk(t.ctx, node, h2, 3, new FileLock(3, 3, FileLock.F_RDLCK, 9));
        assertEquals(new FileLock(0, 4, FileLock.F_WRLCK, 7), c, "owner 1's lock, taken by process 7");
        assertEquals(new FileLock(20, 30, FileLock.F_RDLCK, 0),
                t.fs.getlk(t.ctx, node, h2, 3, new FileLock(25, 25, FileLock.F_WRLCK, 9)),
                "two owners hold that range: neither is certain");
    }

    @Test
    void unlockAndFlushReleaseAnOwnersLocks() throws Exception {
        t.fs.setlk(t.ctx, node, h1, 1, WRITE_ALL, false, false);
        t.fs.setlk(t.ctx, node, h1, 1, new FileLock(0, FileLock.OFFSET_MAX, FileLock.F_UNLCK, 7), false, false);
        t.fs.setlk(t.ctx, node, h2, 2, WRITE_ALL, false, false);
        t.fs.flush(t.ctx, node, h2, 2);
        t.fs.setlk(t.ctx, node, h1, 1, WRITE_ALL, false, true);
    }

    @Test
    void flockLocksBelongToTheOpenFile() throws Exception {
        t.fs.setlk(t.ctx, node, h1, 1, WRITE_ALL, true, false);
        t.fs.setlk(t.ctx, node, h1, 2, WRITE_ALL, true, false); // same open file: a conversion
        assertErrno(Errno.EAGAIN, () -> t.fs.setlk(t.ctx, node, h2, 1, WRITE_ALL, true, false));
        t.fs.release(t.ctx, node, h1, TestShare.RDWR, false, true, 1);
        t.fs.setlk(t.ctx, node, h2, 1, WRITE_ALL, true, false);
    }

    @Test
    void releasingAHandleDropsTheRecordLocksTakenThroughIt() throws Exception {
        // a guest OFD lock: its owner is the guest's open file, and no unlock comes at close
        t.fs.setlk(t.ctx, node, h1, 42, WRITE_ALL, false, false);
        assertErrno(Errno.EAGAIN, () -> t.fs.setlk(t.ctx, node, h2, 43, WRITE_ALL, false, false));
        t.fs.release(t.ctx, node, h1, TestShare.RDWR, false, false, 0);
        t.fs.setlk(t.ctx, node, h2, 43, WRITE_ALL, false, false);
    }
}

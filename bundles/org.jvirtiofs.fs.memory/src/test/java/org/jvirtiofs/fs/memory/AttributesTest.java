package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.R_OK;
import static org.jvirtiofs.api.FuseFilesystem.W_OK;
import static org.jvirtiofs.api.FuseFilesystem.X_OK;
import static org.jvirtiofs.api.SetattrValid.FATTR_ATIME;
import static org.jvirtiofs.api.SetattrValid.FATTR_ATIME_NOW;
import static org.jvirtiofs.api.SetattrValid.FATTR_CTIME;
import static org.jvirtiofs.api.SetattrValid.FATTR_GID;
import static org.jvirtiofs.api.SetattrValid.FATTR_KILL_SUIDGID;
import static org.jvirtiofs.api.SetattrValid.FATTR_MODE;
import static org.jvirtiofs.api.SetattrValid.FATTR_MTIME;
import static org.jvirtiofs.api.SetattrValid.FATTR_MTIME_NOW;
import static org.jvirtiofs.api.SetattrValid.FATTR_SIZE;
import static org.jvirtiofs.api.SetattrValid.FATTR_UID;
import static org.jvirtiofs.fs.memory.TestFs.ALICE;
import static org.jvirtiofs.fs.memory.TestFs.BOB;
import static org.jvirtiofs.fs.memory.TestFs.RDONLY;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.ROOT_USER;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.SetattrValid;
import org.junit.jupiter.api.Test;

class AttributesTest {
    private final TestFs t = new TestFs();

    private static Attr attr(int mode, int uid, int gid, long size, long sec, int nsec) {
        return new Attr(0, size, 0, sec, nsec, sec, nsec, sec, nsec, mode, 0, uid, gid, 0, 0, 0);
    }

    private Attr setattr(long node, Attr attr, int valid) throws Exception {
        return t.fs.setattr(t.ctx, node, attr, new SetattrValid(valid), OptionalLong.empty())
                .attr();
    }

    private void access(Context ctx, long node, int mask) throws Exception {
        t.fs.access(ctx, node, mask);
    }

    @Test
    void chmodKeepsTheTypeAndUpdatesCtime() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        t.clock.advance(1, 0);
        Attr after = setattr(file, attr(04700, 0, 0, 0, 0, 0), FATTR_MODE);
        assertEquals(FileMode.S_IFREG | 04700, after.mode());
        assertEquals(after.mtimeSec() + 1, after.ctimeSec());
    }

    @Test
    void chownChangesOwnerAndGroup() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        Attr after = setattr(file, attr(0, 7, 8, 0, 0, 0), FATTR_UID | FATTR_GID);
        assertEquals(7, after.uid());
        assertEquals(8, after.gid());
    }

    @Test
    void chownWithKillSuidgidClearsTheSetIdBits() throws Exception {
        long file = t.fs.mknod(t.ctx, ROOT, name("f"), FileMode.S_IFREG | 06755, 0, 0).nodeId();
        Attr after = setattr(file, attr(0, 7, 0, 0, 0, 0), FATTR_UID | FATTR_KILL_SUIDGID);
        assertEquals(FileMode.S_IFREG | 0755, after.mode());
    }

    @Test
    void setattrSizeTruncatesAFileAndThrowsEisdirOnADirectory() throws Exception {
        long file = t.file("f", new byte[100]);
        assertEquals(10, setattr(file, attr(0, 0, 0, 10, 0, 0), FATTR_SIZE).size());
        assertEquals(Errno.EISDIR, errno(() -> setattr(ROOT, attr(0, 0, 0, 0, 0, 0),
                FATTR_SIZE)));
    }

    @Test
    void setattrSizeOfASymlinkThrowsEinval() throws Exception {
        long link = t.fs.symlink(t.ctx, ROOT, name("l"), new byte[] {'x'}).nodeId();
        assertEquals(Errno.EINVAL, errno(() -> setattr(link, attr(0, 0, 0, 0, 0, 0),
                FATTR_SIZE)));
    }

    @Test
    void utimensKeepsNanoseconds() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        Attr after = setattr(file, attr(0, 0, 0, 0, 1_600_000_000L, 999_999_999),
                FATTR_ATIME | FATTR_MTIME);
        assertEquals(1_600_000_000L, after.atimeSec());
        assertEquals(999_999_999, after.atimeNsec());
        assertEquals(1_600_000_000L, after.mtimeSec());
        assertEquals(999_999_999, after.mtimeNsec());
        assertEquals(t.clock.instant().getEpochSecond(), after.ctimeSec());
    }

    @Test
    void utimensNowTakesTheClocksTime() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        t.clock.advance(100, 1);
        Attr after = setattr(file, attr(0, 0, 0, 0, 5, 5),
                FATTR_ATIME | FATTR_ATIME_NOW | FATTR_MTIME | FATTR_MTIME_NOW);
        assertEquals(t.clock.instant().getEpochSecond(), after.atimeSec());
        assertEquals(t.clock.instant().getNano(), after.mtimeNsec());
    }

    @Test
    void setattrCtimeTakesTheGivenValue() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertEquals(42, setattr(file, attr(0, 0, 0, 0, 42, 0), FATTR_CTIME).ctimeSec());
    }

    @Test
    void setattrWithBadNanosecondsThrowsEinvalAndChangesNothing() throws Exception {
        long file = t.file("f", new byte[100]);
        Attr bad = attr(0, 0, 0, 0, 5, 1_000_000_000);
        assertEquals(Errno.EINVAL, errno(() -> setattr(file, bad, FATTR_MTIME | FATTR_SIZE)));
        assertEquals(100, t.attr(file).size());
    }

    @Test
    void readUpdatesAtimeTheRelatimeWay() throws Exception {
        long file = t.file("f", new byte[10]);
        long handle = t.open(file, RDONLY);
        t.clock.advance(10, 0);
        t.read(file, handle, 0, 10);
        long firstRead = t.attr(file).atimeSec();
        assertEquals(t.attr(file).mtimeSec() + 10, firstRead); // atime was not after mtime
        t.clock.advance(10, 0);
        t.read(file, handle, 0, 10);
        assertEquals(firstRead, t.attr(file).atimeSec()); // already after mtime: kept
        t.clock.advance(24 * 60 * 60, 0);
        t.read(file, handle, 0, 10);
        assertEquals(firstRead + 10 + 24 * 60 * 60, t.attr(file).atimeSec()); // a day old
    }

    @Test
    void accessChecksOwnerGroupAndOtherBits() throws Exception {
        long file = t.fs.mknod(ALICE, ROOT, name("f"), FileMode.S_IFREG | 0640, 0, 0).nodeId();
        access(ALICE, file, R_OK | W_OK);
        access(new Context(2000, ALICE.gid(), 1), file, R_OK);
        assertEquals(Errno.EACCES, errno(() -> access(new Context(2000, ALICE.gid(), 1), file,
                W_OK)));
        assertEquals(Errno.EACCES, errno(() -> access(BOB, file, R_OK)));
        assertEquals(Errno.EACCES, errno(() -> access(ALICE, file, X_OK)));
        access(BOB, file, 0); // F_OK
    }

    @Test
    void rootPassesEverythingButExecuteOfANonExecutable() throws Exception {
        long file = t.fs.mknod(ALICE, ROOT, name("f"), FileMode.S_IFREG | 0600, 0, 0).nodeId();
        access(ROOT_USER, file, R_OK | W_OK);
        assertEquals(Errno.EACCES, errno(() -> access(ROOT_USER, file, X_OK)));
        access(ROOT_USER, ROOT, X_OK);
    }

    @Test
    void accessWithAnUnknownMaskBitThrowsEinval() {
        assertEquals(Errno.EINVAL, errno(() -> access(ALICE, ROOT, 8)));
    }

    @Test
    void theRootHasTheConfiguredOwnerAndMode() throws Exception {
        TestFs custom = new TestFs(new MemoryOptions(1 << 20, 10, 01777, 5, 6,
                org.jvirtiofs.api.CacheMode.AUTO));
        Attr root = custom.attr(ROOT);
        assertEquals(FileMode.S_IFDIR | 01777, root.mode());
        assertEquals(5, root.uid());
        assertEquals(6, root.gid());
        assertEquals(2, root.nlink());
    }
}

package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.junit.jupiter.api.Test;

class AttrOpsTest {

    static class AttrFs extends RecordingFs {
        @Override
        public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) {
            record("getattr", nodeId, handle);
            return new AttrReply(ATTR, Duration.ofMillis(1500));
        }

        @Override
        public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid,
                OptionalLong handle) {
            record("setattr", nodeId, attr, valid, handle);
            return new AttrReply(ATTR, Duration.ofSeconds(1));
        }

        @Override
        public StatFs statfs(Context ctx, long nodeId) {
            record("statfs", nodeId);
            return new StatFs(1000, 900, 800, 70, 60, 4096, 255, 512);
        }

        @Override
        public void access(Context ctx, long nodeId, int mask) throws FsException {
            record("access", nodeId, mask);
            throw FsException.of(Errno.EACCES);
        }
    }

    private final AttrFs fs = new AttrFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void getattrRepliesAttrOutFieldForField() {
        Reply r = h.call(Req.of(FUSE_GETATTR, 9).u32(0).u32(0).u64(0xAB))
                .assertOk(h.lastUnique(), 104);
        ByteBuffer p = r.payload();
        assertEquals(1, p.getLong(0), "attr_valid");
        assertEquals(500_000_000, p.getInt(8), "attr_valid_nsec");
        assertEquals(0, p.getInt(12), "dummy");
        Expect.assertBytes(Expect.attr(), p, 16);
        assertEquals(OptionalLong.empty(), fs.last()[2], "no FUSE_GETATTR_FH: no handle");
    }

    @Test
    void getattrWithFhFlagPassesHandle() {
        h.call(Req.of(FUSE_GETATTR, 9).u32(FuseConstants.FUSE_GETATTR_FH).u32(0).u64(0xAB))
                .assertOk(h.lastUnique(), 104);
        assertEquals(OptionalLong.of(0xAB), fs.last()[2]);
    }

    @Test
    void setattrDecodesEveryField() {
        int valid = 0xFFF; // every FATTR_* bit, MODE through KILL_SUIDGID
        h.call(Req.of(FUSE_SETATTR, 9).u32(valid).u32(0).u64(0x77).u64(12345).u64(0x99)
                .u64(1001).u64(1002).u64(1003).u32(11).u32(12).u32(13).u32(0104755).u32(0)
                .u32(500).u32(501).u32(0)).assertOk(h.lastUnique(), 104);
        Object[] c = fs.last();
        Attr a = (Attr) c[2];
        assertEquals(12345, a.size());
        assertEquals(1001, a.atimeSec());
        assertEquals(11, a.atimeNsec());
        assertEquals(1002, a.mtimeSec());
        assertEquals(12, a.mtimeNsec());
        assertEquals(1003, a.ctimeSec());
        assertEquals(13, a.ctimeNsec());
        assertEquals(0104755, a.mode());
        assertEquals(500, a.uid());
        assertEquals(501, a.gid());
        SetattrValid v = (SetattrValid) c[3];
        assertTrue(v.hasMode() && v.hasUid() && v.hasGid() && v.hasSize() && v.hasAtime()
                && v.hasMtime() && v.hasHandle() && v.hasAtimeNow() && v.hasMtimeNow()
                && v.hasLockOwner() && v.hasCtime() && v.hasKillSuidgid());
        assertEquals(OptionalLong.of(0x77), c[4]);
    }

    @Test
    void setattrWithoutFattrFhHasNoHandle() {
        h.call(Req.of(FUSE_SETATTR, 9).u32(SetattrValid.FATTR_SIZE).u32(0).u64(0x77).u64(0)
                .zeros(64)).assertOk(h.lastUnique(), 104);
        assertEquals(OptionalLong.empty(), fs.last()[4]);
    }

    @Test
    void statfsRepliesKstatfs() {
        Reply r = h.call(Req.of(FUSE_STATFS, 1)).assertOk(h.lastUnique(), 80);
        ByteBuffer e = Expect.le(80);
        e.putLong(0, 1000).putLong(8, 900).putLong(16, 800).putLong(24, 70).putLong(32, 60);
        e.putInt(40, 4096).putInt(44, 255).putInt(48, 512);
        assertArrayEquals(e.array(), r.payloadBytes());
    }

    @Test
    void accessPassesMaskAndRepliesProviderErrno() {
        h.call(Req.of(FUSE_ACCESS, 4).u32(6).u32(0)).assertError(h.lastUnique(), Errno.EACCES);
        assertArrayEquals(new Object[] {"access", 4L, 6}, fs.last());
    }
}

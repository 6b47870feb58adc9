package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.junit.jupiter.api.Test;

class XattrOpsTest {
    static final byte[] VALUE = "value-bytes".getBytes(StandardCharsets.UTF_8);
    static final byte[] LIST = "user.a\0security.selinux\0".getBytes(StandardCharsets.UTF_8);

    static class XattrFs extends RecordingFs {
        @Override
        public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags,
                int extFlags) {
            record("setxattr", nodeId, name, new String(value, StandardCharsets.UTF_8), flags,
                    extFlags);
        }

        @Override
        public byte[] getxattr(Context ctx, long nodeId, String name, int size)
                throws FsException {
            record("getxattr", nodeId, name, size);
            if (name.equals("user.none")) {
                throw FsException.of(Errno.ENODATA);
            }
            return VALUE;
        }

        @Override
        public byte[] listxattr(Context ctx, long nodeId, int size) {
            record("listxattr", nodeId, size);
            return LIST;
        }

        @Override
        public void removexattr(Context ctx, long nodeId, String name) {
            record("removexattr", nodeId, name);
        }
    }

    private final XattrFs fs = new XattrFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void setxattrWithoutExtUsesEightByteStruct() {
        h.call(Req.of(FUSE_SETXATTR, 5).u32(3).u32(FuseFilesystem.XATTR_CREATE).str("user.k")
                .raw("v\0w")).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"setxattr", 5L, "user.k", "v\0w",
            FuseFilesystem.XATTR_CREATE, 0}, fs.last());
    }

    @Test
    void setxattrWithExtNegotiatedUsesSixteenByteStruct() {
        XattrFs extFs = new XattrFs();
        extFs.wanted = EnumSet.of(FsCapability.SETXATTR_EXT);
        Harness ext = Harness.initialized(extFs);
        ext.call(Req.of(FUSE_SETXATTR, 5).u32(2).u32(FuseFilesystem.XATTR_REPLACE)
                .u32(FuseFilesystem.FUSE_SETXATTR_ACL_KILL_SGID).u32(0)
                .str("system.posix_acl_access").raw("ab")).assertOk(ext.lastUnique(), 0);
        assertArrayEquals(new Object[] {"setxattr", 5L, "system.posix_acl_access", "ab",
            FuseFilesystem.XATTR_REPLACE, FuseFilesystem.FUSE_SETXATTR_ACL_KILL_SGID},
                extFs.last());
    }

    @Test
    void setxattrValueShorterThanSizeIsEinval() {
        h.call(Req.of(FUSE_SETXATTR, 5).u32(10).u32(0).str("user.k").raw("abc"))
                .assertError(h.lastUnique(), Errno.EINVAL);
    }

    @Test
    void getxattrOfSizeZeroRepliesNeededSize() {
        Reply r = h.call(Req.of(FUSE_GETXATTR, 5).u32(0).u32(0).str("user.k"))
                .assertOk(h.lastUnique(), 8);
        assertEquals(VALUE.length, r.payload().getInt(0));
        assertEquals(0, r.payload().getInt(4));
    }

    @Test
    void getxattrThatFitsRepliesValue() {
        Reply r = h.call(Req.of(FUSE_GETXATTR, 5).u32(64).u32(0).str("user.k"))
                .assertOk(h.lastUnique(), VALUE.length);
        assertArrayEquals(VALUE, r.payloadBytes());
        assertArrayEquals(new Object[] {"getxattr", 5L, "user.k", 64}, fs.last());
    }

    @Test
    void getxattrLongerThanSizeIsErange() {
        h.call(Req.of(FUSE_GETXATTR, 5).u32(VALUE.length - 1).u32(0).str("user.k"))
                .assertError(h.lastUnique(), Errno.ERANGE);
    }

    @Test
    void getxattrOfMissingAttributeIsEnodata() {
        h.call(Req.of(FUSE_GETXATTR, 5).u32(64).u32(0).str("user.none"))
                .assertError(h.lastUnique(), Errno.ENODATA);
    }

    @Test
    void listxattrSizeProtocol() {
        Reply r = h.call(Req.of(FUSE_LISTXATTR, 5).u32(0).u32(0)).assertOk(h.lastUnique(), 8);
        assertEquals(LIST.length, r.payload().getInt(0));
        r = h.call(Req.of(FUSE_LISTXATTR, 5).u32(LIST.length).u32(0))
                .assertOk(h.lastUnique(), LIST.length);
        assertArrayEquals(LIST, r.payloadBytes());
        h.call(Req.of(FUSE_LISTXATTR, 5).u32(4).u32(0)).assertError(h.lastUnique(), Errno.ERANGE);
    }

    @Test
    void removexattrPassesName() {
        h.call(Req.of(FUSE_REMOVEXATTR, 5).str("user.k")).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"removexattr", 5L, "user.k"}, fs.last());
    }
}

package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.XATTR_CREATE;
import static org.jvirtiofs.api.FuseFilesystem.XATTR_REPLACE;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class XattrTest {
    private final TestFs t = new TestFs();
    private long file;

    @BeforeEach
    void createAFile() throws Exception {
        file = t.mknod(ROOT, "f").nodeId();
    }

    private void set(String name, String value, int flags) throws Exception {
        t.fs.setxattr(t.ctx, file, name, value.getBytes(StandardCharsets.UTF_8), flags, 0);
    }

    private String get(String name) throws Exception {
        return new String(t.fs.getxattr(t.ctx, file, name, 0), StandardCharsets.UTF_8);
    }

    @Test
    void aclXattrsAreNotSupportedSoToolsFallBackToChmod() {
        assertEquals(Errno.EOPNOTSUPP, errno(() -> set("system.posix_acl_access", "\u0002", 0)));
        assertEquals(Errno.EOPNOTSUPP, errno(() -> set("system.posix_acl_default", "\u0002", 0)));
    }

    @Test
    void setThenGetReturnsTheValue() throws Exception {
        set("user.a", "1", 0);
        assertEquals("1", get("user.a"));
        set("user.a", "2", 0);
        assertEquals("2", get("user.a"));
    }

    @Test
    void listGivesEveryNameNulTerminated() throws Exception {
        set("user.b", "", 0);
        set("trusted.a", "x", 0);
        assertArrayEquals("trusted.a\0user.b\0".getBytes(StandardCharsets.UTF_8),
                t.fs.listxattr(t.ctx, file, 0));
        assertArrayEquals(new byte[0], t.fs.listxattr(t.ctx, ROOT, 0));
    }

    @Test
    void xattrCreateOfAnExistingNameThrowsEexist() throws Exception {
        set("user.a", "1", XATTR_CREATE);
        assertEquals(Errno.EEXIST, errno(() -> set("user.a", "2", XATTR_CREATE)));
        assertEquals("1", get("user.a"));
    }

    @Test
    void xattrReplaceOfAMissingNameThrowsEnodata() throws Exception {
        assertEquals(Errno.ENODATA, errno(() -> set("user.a", "1", XATTR_REPLACE)));
        set("user.a", "1", 0);
        set("user.a", "2", XATTR_REPLACE);
        assertEquals("2", get("user.a"));
    }

    @Test
    void getOfAMissingNameThrowsEnodata() {
        assertEquals(Errno.ENODATA, errno(() -> get("user.none")));
    }

    @Test
    void removeDeletesAndThenThrowsEnodata() throws Exception {
        set("user.a", "1", 0);
        t.fs.removexattr(t.ctx, file, "user.a");
        assertEquals(Errno.ENODATA, errno(() -> get("user.a")));
        assertEquals(Errno.ENODATA, errno(() -> t.fs.removexattr(t.ctx, file, "user.a")));
    }

    @Test
    void aValueOverTheLimitThrowsE2bigAndABadNameErange() {
        assertEquals(Errno.E2BIG, errno(() -> t.fs.setxattr(t.ctx, file, "user.a",
                new byte[Xattrs.VALUE_MAX + 1], 0, 0)));
        assertEquals(Errno.ERANGE, errno(() -> set("u".repeat(256), "", 0)));
        assertEquals(Errno.ERANGE, errno(() -> set("", "", 0)));
    }

    @Test
    void userXattrsOnASymlinkThrowEperm() throws Exception {
        long link = t.fs.symlink(t.ctx, ROOT, name("l"), new byte[] {'x'}).nodeId();
        assertEquals(Errno.EPERM, errno(() -> t.fs.setxattr(t.ctx, link, "user.a", new byte[1],
                0, 0)));
        t.fs.setxattr(t.ctx, link, "trusted.a", new byte[1], 0, 0);
    }

    @Test
    void settingAnXattrUpdatesCtime() throws Exception {
        t.clock.advance(6, 0);
        set("user.a", "1", 0);
        assertEquals(t.attr(file).mtimeSec() + 6, t.attr(file).ctimeSec());
    }
}

package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Runs on the on-disk temp dir (ext4): tmpfs before Linux 6.6 has no user xattrs. */
class XattrsTest extends NativeTestBase {
    private static final byte[] VALUE = "value-1".getBytes(StandardCharsets.UTF_8);

    @Test
    void fdXattrsAreSetReadListedAndRemoved() throws Exception {
        int fd = open(file("a", ""), O_RDWR);
        Xattrs.fsetxattr(fd, "user.one", VALUE, 0);
        Xattrs.fsetxattr(fd, "user.two", new byte[0], XattrFlags.XATTR_CREATE);
        assertArrayEquals(VALUE, Xattrs.fgetxattr(fd, "user.one"));
        assertArrayEquals(new byte[0], Xattrs.fgetxattr(fd, "user.two"));
        assertEquals(VALUE.length, Xattrs.fgetxattr(fd, "user.one", null));
        assertTrue(Xattrs.flistxattr(fd).containsAll(List.of("user.one", "user.two")));
        Xattrs.fremovexattr(fd, "user.one");
        assertFalse(Xattrs.flistxattr(fd).contains("user.one"));
        assertErrno(Errno.ENODATA, () -> Xattrs.fgetxattr(fd, "user.one"));
    }

    @Test
    void fdXattrCallsReportTheirErrnos() throws Exception {
        int fd = open(file("a", ""), O_RDWR);
        Xattrs.fsetxattr(fd, "user.one", VALUE, 0);
        assertErrno(Errno.ERANGE, () -> Xattrs.fgetxattr(fd, "user.one", new byte[2]));
        assertErrno(Errno.ERANGE, () -> Xattrs.flistxattr(fd, new byte[2]));
        assertErrno(Errno.EEXIST, () -> Xattrs.fsetxattr(fd, "user.one", VALUE, XattrFlags.XATTR_CREATE));
        assertErrno(Errno.ENODATA, () -> Xattrs.fsetxattr(fd, "user.none", VALUE, XattrFlags.XATTR_REPLACE));
        assertErrno(Errno.ENODATA, () -> Xattrs.fremovexattr(fd, "user.none"));
        assertErrno(Errno.EOPNOTSUPP, () -> Xattrs.fsetxattr(fd, "bogus.namespace", VALUE, 0));
        assertErrno(Errno.EBADF, () -> Xattrs.flistxattr(99_999));
    }

    @Test
    void followingPathXattrsWorkOnOPathFdsViaProcSelfFd() throws Exception {
        Path a = file("a", "");
        int opath = open(a, O_PATH);
        String viaProc = "/proc/self/fd/" + opath;
        assertErrno(Errno.EBADF, () -> Xattrs.fsetxattr(opath, "user.x", VALUE, 0));
        Xattrs.setxattr(viaProc, "user.x", VALUE, 0, true);
        assertArrayEquals(VALUE, Xattrs.getxattr(viaProc, "user.x", true));
        assertEquals(VALUE.length, Xattrs.getxattr(viaProc, "user.x", new byte[64], true));
        assertEquals(List.of("user.x"), Xattrs.listxattr(viaProc, true));
        assertTrue(Xattrs.listxattr(viaProc, null, true) > 0);
        Xattrs.removexattr(viaProc, "user.x", true);
        assertEquals(List.of(), Xattrs.listxattr(a.toString(), true));
        // without following, the same path names the /proc magic link itself
        assertErrno(Errno.EPERM, () -> Xattrs.setxattr(viaProc, "user.x", VALUE, 0, false));
    }

    @Test
    void nonFollowingPathXattrsActOnTheNamedFile() throws Exception {
        String a = file("a", "").toString();
        Xattrs.setxattr(a, "user.x", VALUE, XattrFlags.XATTR_CREATE, false);
        assertArrayEquals(VALUE, Xattrs.getxattr(a, "user.x", false));
        assertEquals(VALUE.length, Xattrs.getxattr(a, "user.x", null, false));
        assertEquals(List.of("user.x"), Xattrs.listxattr(a, false));
        Xattrs.removexattr(a, "user.x", false);
        assertEquals(List.of(), Xattrs.listxattr(a, false));
    }

    @Test
    void pathXattrCallsReportTheirErrnos() throws Exception {
        String link = Files.createSymbolicLink(dir.resolve("link"), Path.of("a")).toString();
        String missing = dir.resolve("missing").toString();
        for (boolean follow : new boolean[] {true, false}) {
            assertErrno(Errno.ENOENT, () -> Xattrs.getxattr(missing, "user.x", follow));
            assertErrno(Errno.ENOENT, () -> Xattrs.listxattr(missing, follow));
            assertErrno(Errno.ENOENT, () -> Xattrs.removexattr(missing, "user.x", follow));
        }
        // user xattrs are not allowed on symlinks themselves; following, the target is missing
        assertErrno(Errno.EPERM, () -> Xattrs.setxattr(link, "user.x", VALUE, 0, false));
        assertErrno(Errno.ENOENT, () -> Xattrs.setxattr(link, "user.x", VALUE, 0, true));
        String a = file("a", "").toString();
        Xattrs.setxattr(link, "user.x", VALUE, 0, true);
        assertErrno(Errno.ERANGE, () -> Xattrs.getxattr(a, "user.x", new byte[1], false));
        assertErrno(Errno.ERANGE, () -> Xattrs.listxattr(a, new byte[1], true));
        assertErrno(Errno.ENODATA, () -> Xattrs.removexattr(a, "user.none", false));
    }

    @Test
    void namesSplitsANulSeparatedList() {
        byte[] list = "user.a\0user.bc\0".getBytes(StandardCharsets.UTF_8);
        assertEquals(List.of("user.a", "user.bc"), Xattrs.names(list, list.length));
    }
}

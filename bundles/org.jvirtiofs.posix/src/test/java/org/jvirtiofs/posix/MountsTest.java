package org.jvirtiofs.posix;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountsTest extends NativeTestBase {
    private static final long TMPFS_MAGIC = 0x01021994L;
    private static final long EXT4_SUPER_MAGIC = 0xEF53L;

    @Test
    void tmpfsMountsOnATempDirAndUnmounts() throws Exception {
        Path target = Files.createDirectory(dir.resolve("mnt"));
        Mounts.mount("jvirtiofs-test", target.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV, "size=1m,mode=0700");
        try {
            assertEquals(TMPFS_MAGIC, Mounts.statfs(target.toString()).type());
            Files.writeString(target.resolve("inside"), "x");
        } finally {
            Mounts.umount2(target.toString(), 0);
        }
        assertEquals(EXT4_SUPER_MAGIC, Mounts.statfs(target.toString()).type());
        assertFalse(Files.exists(target.resolve("inside")));
    }

    @Test
    void mountAndUmountReportTheirErrnos() throws Exception {
        Path target = Files.createDirectory(dir.resolve("mnt"));
        assertErrno(Errno.ENODEV, () -> Mounts.mount("x", target.toString(), "no-such-fs", 0, null));
        assertErrno(Errno.ENOENT, () -> Mounts.mount("x", dir.resolve("none").toString(), "tmpfs", 0, null));
        assertErrno(Errno.EINVAL, () -> Mounts.umount2(target.toString(), 0)); // not a mount point
        assertErrno(Errno.ENOENT, () -> Mounts.umount2(dir.resolve("none").toString(), 0));
    }

    @Test
    void statfsAndFstatfsDescribeTheSameFileSystem() throws Exception {
        int fd = open(file("a", ""), OpenFlags.O_RDONLY);
        StatFs byPath = Mounts.statfs(dir.toString());
        StatFs byFd = Mounts.fstatfs(fd);
        assertEquals(byPath.type(), byFd.type());
        assertEquals(byPath.fsid(), byFd.fsid());
        assertEquals(255, byFd.namelen());
        assertTrue(byFd.blocks() > 0 && byFd.bsize() > 0);
        assertErrno(Errno.ENOENT, () -> Mounts.statfs(dir.resolve("none").toString()));
        assertErrno(Errno.EBADF, () -> Mounts.fstatfs(99_999));
    }

    @Test
    void closeReportsNothingOnlyOnLocalFileSystemsWithoutAFlushOperation() throws Exception {
        assertTrue(Mounts.closeReportsNothing(open(file("a", ""), OpenFlags.O_RDONLY)), "ext4");
        Path target = Files.createDirectory(dir.resolve("mnt"));
        Mounts.mount("jvirtiofs-test", target.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV, "size=1m,mode=0700");
        try {
            Files.writeString(target.resolve("inside"), "x");
            int fd = Fs.openat(AtFlags.AT_FDCWD, target.resolve("inside").toString(),
                    OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0); // closed here, before the unmount
            try {
                assertTrue(Mounts.closeReportsNothing(fd), "tmpfs");
            } finally {
                Io.close(fd);
            }
        } finally {
            Mounts.umount2(target.toString(), 0);
        }
        // procfs has no flush either, but is not on the list: unknown file systems count as able
        assertFalse(Mounts.closeReportsNothing(open(Path.of("/proc/self/status"), OpenFlags.O_RDONLY)));
        assertErrno(Errno.EBADF, () -> Mounts.closeReportsNothing(99_999));
    }

    @Test
    void syncfsFlushesAndRefusesBadFds() throws Exception {
        Mounts.syncfs(open(file("a", "x"), OpenFlags.O_RDONLY));
        assertErrno(Errno.EBADF, () -> Mounts.syncfs(99_999));
    }
}

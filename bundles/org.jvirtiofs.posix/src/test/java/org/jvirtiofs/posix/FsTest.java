package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.AtFlags.*;
import static org.jvirtiofs.posix.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FsTest extends NativeTestBase {

    @Test
    void openatOpensAFileRelativeToADirFd() throws Exception {
        file("a", "hello");
        int fd = track(Fs.openat(dirfd(), "a", O_RDONLY | O_CLOEXEC, 0));
        ByteBuffer buf = ByteBuffer.allocateDirect(16);
        Io.read(fd, buf);
        assertEquals("hello", text(buf.flip()));
    }

    @Test
    void openatOfAMissingFileFailsWithEnoent() throws Exception {
        int dirfd = dirfd();
        PosixException e = assertErrno(Errno.ENOENT, () -> Fs.openat(dirfd, "missing", O_RDONLY, 0));
        assertEquals("openat(\"missing\"): ENOENT (No such file or directory)", e.getMessage());
    }

    @Test
    void openatExclusiveCreateOfAnExistingFileFailsWithEexist() throws Exception {
        file("a", "");
        int dirfd = dirfd();
        assertErrno(Errno.EEXIST, () -> Fs.openat(dirfd, "a", O_CREAT | O_EXCL | O_WRONLY, 0600));
    }

    @Test
    void openatNoFollowOnASymlinkFailsWithEloop() throws Exception {
        file("target", "");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        int dirfd = dirfd();
        assertErrno(Errno.ELOOP, () -> Fs.openat(dirfd, "link", O_RDONLY | O_NOFOLLOW, 0));
    }

    @Test
    void openatHandlesNonAsciiNamesAsUtf8() throws Exception {
        file("caf\u00e9-\u2603", "x");
        int fd = track(Fs.openat(dirfd(), "caf\u00e9-\u2603", O_RDONLY, 0));
        assertEquals(1, Fs.fstat(fd).size());
    }

    @Test
    void openat2BeneathOpensAFileInside() throws Exception {
        Files.createDirectory(dir.resolve("sub"));
        file("sub/a", "abc");
        int fd = track(Fs.openat2(dirfd(), "sub/a", O_RDONLY | O_CLOEXEC, 0, RESOLVE_BENEATH));
        assertEquals(3, Fs.fstat(fd).size());
    }

    @Test
    void openat2BeneathRefusesDotDotWithExdev() throws Exception {
        int dirfd = dirfd();
        PosixException e = assertErrno(Errno.EXDEV, () -> Fs.openat2(dirfd, "..", O_RDONLY, 0, RESOLVE_BENEATH));
        assertEquals("openat2(\"..\"): EXDEV (Invalid cross-device link)", e.getMessage());
    }

    @Test
    void openat2BeneathRefusesAnAbsoluteSymlinkWithExdev() throws Exception {
        Files.createSymbolicLink(dir.resolve("escape"), Path.of("/etc/hostname"));
        int dirfd = dirfd();
        assertErrno(Errno.EXDEV, () -> Fs.openat2(dirfd, "escape", O_RDONLY, 0, RESOLVE_BENEATH));
    }

    @Test
    void openat2NoSymlinksFailsWithEloop() throws Exception {
        file("target", "");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("target"));
        int dirfd = dirfd();
        assertErrno(Errno.ELOOP, () -> Fs.openat2(dirfd, "link", O_RDONLY, 0, RESOLVE_NO_SYMLINKS));
    }

    @Test
    void openat2WithUnknownResolveBitsFailsWithEinval() throws Exception {
        int dirfd = dirfd();
        assertErrno(Errno.EINVAL, () -> Fs.openat2(dirfd, ".", O_RDONLY, 0, 1L << 40));
    }

    @Test
    void statxReportsTypeSizeInodeAndMountId() throws Exception {
        Path a = file("a", "12345");
        Stat st = Fs.statx(dirfd(), "a", AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS | STATX_MNT_ID);
        assertTrue(st.isRegularFile());
        assertEquals(5, st.size());
        assertEquals(Files.getAttribute(a, "unix:ino"), st.ino());
        assertEquals(1, st.nlink());
        assertNotEquals(0, st.mask() & STATX_MNT_ID);
        assertTrue(st.mountId() > 0);
        assertEquals(Files.getAttribute(a, "unix:dev"), st.dev());
        Stat born = Fs.statx(dirfd(), "a", 0, STATX_BTIME);
        assertNotEquals(0, born.mask() & STATX_BTIME);
        assertEquals(Files.readAttributes(a, java.nio.file.attribute.BasicFileAttributes.class)
                .creationTime().toInstant().getEpochSecond(), born.btimeSec());
    }

    @Test
    void statxOfAMissingFileFailsWithEnoent() throws Exception {
        int dirfd = dirfd();
        assertErrno(Errno.ENOENT, () -> Fs.statx(dirfd, "missing", 0, STATX_BASIC_STATS));
    }

    @Test
    void fstatatAgreesWithStatxAndDoesNotFollowWhenAsked() throws Exception {
        file("a", "12345");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("a"));
        int dirfd = dirfd();
        Stat viaStat = Fs.fstatat(dirfd, "a", 0);
        Stat viaStatx = Fs.statx(dirfd, "a", 0, STATX_BASIC_STATS);
        assertEquals(viaStatx.ino(), viaStat.ino());
        assertEquals(viaStatx.mode(), viaStat.mode());
        assertEquals(viaStatx.mtimeSec(), viaStat.mtimeSec());
        assertEquals(viaStatx.mtimeNsec(), viaStat.mtimeNsec());
        assertEquals(viaStatx.dev(), viaStat.dev());
        assertEquals(5, Fs.fstatat(dirfd, "link", 0).size());
        assertTrue(Fs.fstatat(dirfd, "link", AT_SYMLINK_NOFOLLOW).isSymlink());
    }

    @Test
    void fstatatOfAMissingFileFailsWithEnoent() throws Exception {
        int dirfd = dirfd();
        assertErrno(Errno.ENOENT, () -> Fs.fstatat(dirfd, "missing", 0));
    }

    @Test
    void fstatOfAClosedFdFailsWithEbadf() {
        assertErrno(Errno.EBADF, () -> Fs.fstat(99_999));
    }

    @Test
    void mkdiratCreatesADirectoryAndRefusesAnExistingOne() throws Exception {
        int dirfd = dirfd();
        Fs.mkdirat(dirfd, "d", 0750);
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertEquals(0750, Fs.fstatat(dirfd, "d", 0).permissions());
        assertErrno(Errno.EEXIST, () -> Fs.mkdirat(dirfd, "d", 0750));
    }

    @Test
    void mknodatCreatesAFifoAndRefusesAnExistingName() throws Exception {
        int dirfd = dirfd();
        Fs.mknodat(dirfd, "fifo", FileMode.S_IFIFO | 0600, 0);
        assertEquals(FileMode.S_IFIFO, Fs.fstatat(dirfd, "fifo", 0).type());
        assertErrno(Errno.EEXIST, () -> Fs.mknodat(dirfd, "fifo", FileMode.S_IFIFO | 0600, 0));
    }

    @Test
    void symlinkatAndReadlinkatRoundTrip() throws Exception {
        int dirfd = dirfd();
        Fs.symlinkat("some/where/\u00e9", dirfd, "link");
        assertEquals("some/where/\u00e9", Fs.readlinkat(dirfd, "link"));
        assertErrno(Errno.EEXIST, () -> Fs.symlinkat("x", dirfd, "link"));
    }

    @Test
    void readlinkatOfARegularFileFailsWithEinval() throws Exception {
        file("a", "");
        int dirfd = dirfd();
        assertErrno(Errno.EINVAL, () -> Fs.readlinkat(dirfd, "a"));
    }

    @Test
    void linkatAddsAHardLinkAndRefusesAnExistingTarget() throws Exception {
        file("a", "x");
        file("b", "y");
        int dirfd = dirfd();
        Fs.linkat(dirfd, "a", dirfd, "c", 0);
        assertEquals(2, Fs.fstatat(dirfd, "a", 0).nlink());
        assertErrno(Errno.EEXIST, () -> Fs.linkat(dirfd, "a", dirfd, "b", 0));
    }

    @Test
    void unlinkatRemovesFilesAndEmptyDirsButNotFullOnes() throws Exception {
        file("a", "");
        Files.createDirectories(dir.resolve("full/inner"));
        Files.createDirectory(dir.resolve("empty"));
        int dirfd = dirfd();
        Fs.unlinkat(dirfd, "a", 0);
        Fs.unlinkat(dirfd, "empty", AT_REMOVEDIR);
        assertFalse(Files.exists(dir.resolve("a")));
        assertFalse(Files.exists(dir.resolve("empty")));
        assertErrno(Errno.ENOTEMPTY, () -> Fs.unlinkat(dirfd, "full", AT_REMOVEDIR));
        assertErrno(Errno.EISDIR, () -> Fs.unlinkat(dirfd, "full", 0));
        assertErrno(Errno.ENOENT, () -> Fs.unlinkat(dirfd, "a", 0));
    }

    @Test
    void renameat2NoReplaceRefusesAnExistingTarget() throws Exception {
        file("a", "A");
        file("b", "B");
        int dirfd = dirfd();
        assertErrno(Errno.EEXIST, () -> Fs.renameat2(dirfd, "a", dirfd, "b", RenameFlags.RENAME_NOREPLACE));
        Fs.renameat2(dirfd, "a", dirfd, "c", RenameFlags.RENAME_NOREPLACE);
        assertEquals("A", Files.readString(dir.resolve("c")));
    }

    @Test
    void renameat2ExchangeSwapsTwoNames() throws Exception {
        file("a", "A");
        file("b", "B");
        int dirfd = dirfd();
        Fs.renameat2(dirfd, "a", dirfd, "b", RenameFlags.RENAME_EXCHANGE);
        assertEquals("B", Files.readString(dir.resolve("a")));
        assertEquals("A", Files.readString(dir.resolve("b")));
        assertErrno(Errno.ENOENT, () -> Fs.renameat2(dirfd, "a", dirfd, "none", RenameFlags.RENAME_EXCHANGE));
    }

    @Test
    void fchmodatAndFchmodSetPermissions() throws Exception {
        Path a = file("a", "");
        int dirfd = dirfd();
        Fs.fchmodat(dirfd, "a", 0640, 0);
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
        int fd = open(a, O_RDONLY);
        Fs.fchmod(fd, 0604);
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(a)));
        assertErrno(Errno.ENOENT, () -> Fs.fchmodat(dirfd, "missing", 0600, 0));
        assertErrno(Errno.EBADF, () -> Fs.fchmod(99_999, 0600));
    }

    @Test
    void fchownatAndFchownSetOwners() throws Exception {
        Path a = file("a", "");
        int dirfd = dirfd();
        Fs.fchownat(dirfd, "a", 1234, 5678, AT_SYMLINK_NOFOLLOW);
        Stat st = Fs.fstatat(dirfd, "a", 0);
        assertEquals(1234, st.uid());
        assertEquals(5678, st.gid());
        int fd = open(a, O_RDONLY);
        Fs.fchown(fd, 4321, -1);
        assertEquals(4321, Fs.fstat(fd).uid());
        assertEquals(5678, Fs.fstat(fd).gid());
        assertErrno(Errno.ENOENT, () -> Fs.fchownat(dirfd, "missing", 0, 0, 0));
        assertErrno(Errno.EBADF, () -> Fs.fchown(99_999, 0, 0));
    }

    @Test
    void utimensatSetsTimesAndOmitKeepsThem() throws Exception {
        file("a", "");
        int dirfd = dirfd();
        Fs.utimensat(dirfd, "a", 1_000_000, 123, 2_000_000, 456, 0);
        Stat st = Fs.statx(dirfd, "a", 0, STATX_BASIC_STATS);
        assertEquals(1_000_000, st.atimeSec());
        assertEquals(123, st.atimeNsec());
        assertEquals(2_000_000, st.mtimeSec());
        assertEquals(456, st.mtimeNsec());
        Fs.utimensat(dirfd, "a", 0, UTIME_OMIT, 0, UTIME_NOW, 0);
        st = Fs.statx(dirfd, "a", 0, STATX_BASIC_STATS);
        assertEquals(1_000_000, st.atimeSec());
        assertTrue(st.mtimeSec() > 1_600_000_000L);
        assertErrno(Errno.EINVAL, () -> Fs.utimensat(dirfd, "a", 0, 2_000_000_000L, 0, 0, 0));
        assertErrno(Errno.ENOENT, () -> Fs.utimensat(dirfd, "missing", 0, UTIME_NOW, 0, UTIME_NOW, 0));
    }

    @Test
    void getdents64ListsADirectoryThenReturnsNothing() throws Exception {
        file("a", "");
        Files.createDirectory(dir.resolve("sub"));
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        List<DirEntry64> entries = Fs.getdents64(fd);
        assertEquals(List.of(".", "..", "a", "sub"),
                entries.stream().map(DirEntry64::name).sorted().collect(Collectors.toList()));
        DirEntry64 sub = entries.stream().filter(e -> e.name().equals("sub")).findFirst().orElseThrow();
        assertEquals(FileMode.DT_DIR, sub.type());
        assertEquals(Files.getAttribute(dir.resolve("sub"), "unix:ino"), sub.ino());
        assertTrue(Fs.getdents64(fd).isEmpty());
    }

    @Test
    void getdents64OnAFileFailsWithEnotdir() throws Exception {
        int fd = open(file("a", ""), O_RDONLY);
        assertErrno(Errno.ENOTDIR, () -> Fs.getdents64(fd));
        assertErrno(Errno.EBADF, () -> Fs.getdents64(99_999));
    }

    @Test
    void fileHandleRoundTripOpensTheSameInode() throws Exception {
        file("a", "by handle");
        int dirfd = dirfd();
        FileHandle handle = Fs.nameToHandleAt(dirfd, "a", 0);
        assertTrue(handle.length() > 0);
        assertEquals(Fs.statx(dirfd, "a", 0, STATX_MNT_ID).mountId(), handle.mountId());
        assertEquals(handle, Fs.nameToHandleAt(dirfd, "a", 0));
        int mountFd = open(dir, O_RDONLY | O_DIRECTORY); // O_PATH fds are refused here with EBADF
        int fd = track(Fs.openByHandleAt(mountFd, handle, O_RDONLY | O_CLOEXEC));
        assertEquals(Fs.fstatat(dirfd, "a", 0).ino(), Fs.fstat(fd).ino());
        ByteBuffer buf = ByteBuffer.allocateDirect(32);
        Io.read(fd, buf);
        assertEquals("by handle", text(buf.flip()));
    }

    @Test
    void fileHandleCallsReportEnoentAndEinval() throws Exception {
        int dirfd = dirfd();
        assertErrno(Errno.ENOENT, () -> Fs.nameToHandleAt(dirfd, "missing", 0));
        FileHandle oversized = new FileHandle(1, new byte[200], 0);
        int mountFd = open(dir, O_RDONLY | O_DIRECTORY);
        assertErrno(Errno.EINVAL, () -> Fs.openByHandleAt(mountFd, oversized, O_RDONLY));
        FileHandle handle = Fs.nameToHandleAt(dirfd, ".", 0);
        assertErrno(Errno.EBADF, () -> Fs.openByHandleAt(dirfd, handle, O_RDONLY));
    }
}

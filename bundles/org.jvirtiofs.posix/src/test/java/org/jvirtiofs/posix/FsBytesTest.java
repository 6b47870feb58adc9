package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.AtFlags.*;
import static org.jvirtiofs.posix.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The *at calls with names as bytes: names that are not UTF-8 reach the kernel unchanged. */
class FsBytesTest extends NativeTestBase {
    /** "a", then 0xFF 0xFE: no UTF-8 decoder would give these bytes back. */
    private static final byte[] BAD = {'a', (byte) 0xFF, (byte) 0xFE};
    private static final byte[] OTHER = {'b', (byte) 0xC3};
    private static final byte[] MISSING = {'m', (byte) 0xFF};

    private int create(byte[] name) throws PosixException {
        return track(Fs.openat(dirfd(), name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
    }

    private List<byte[]> names() throws Exception {
        int fd = track(Fs.openat(dirfd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
        return Fs.getdents64(fd).stream().map(DirEntry64::rawName)
                .filter(n -> !(n[0] == '.' && (n.length == 1 || n.length == 2 && n[1] == '.'))).toList();
    }

    @Test
    void openatCreatesANameThatIsNotUtf8AndGetdentsListsItsExactBytes() throws Exception {
        create(BAD);
        List<byte[]> names = names();
        assertEquals(1, names.size());
        assertArrayEquals(BAD, names.get(0));
        assertEquals("a\uFFFD\uFFFD", new DirEntry64(1, 2, 8, BAD).name(), "name() is for display");
    }

    @Test
    void openatOfAMissingByteNameFailsWithEnoent() throws Exception {
        int dirfd = dirfd();
        assertErrno(Errno.ENOENT, () -> Fs.openat(dirfd, MISSING, O_RDONLY, 0));
    }

    @Test
    void aNulInsideAByteNameIsEinvalNotATruncatedName() throws Exception {
        file("a", "x");
        int dirfd = dirfd();
        assertErrno(Errno.EINVAL, () -> Fs.openat(dirfd, new byte[] {'a', 0, 'b'}, O_RDONLY, 0));
    }

    @Test
    void openat2OpensAByteNameBeneathAndRefusesDotDot() throws Exception {
        create(BAD);
        track(Fs.openat2(dirfd(), BAD, O_PATH | O_CLOEXEC, 0, RESOLVE_BENEATH));
        int dirfd = dirfd();
        assertErrno(Errno.EXDEV, () -> Fs.openat2(dirfd, new byte[] {'.', '.'}, O_PATH, 0, RESOLVE_BENEATH));
        assertErrno(Errno.ENOENT, () -> Fs.openat2(dirfd, MISSING, O_PATH, 0, RESOLVE_BENEATH));
    }

    @Test
    void statxAndFstatatOfAByteNameAgreeAndAMissingOneIsEnoent() throws Exception {
        create(BAD);
        Stat x = Fs.statx(dirfd(), BAD, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS);
        Stat s = Fs.fstatat(dirfd(), BAD, AT_SYMLINK_NOFOLLOW);
        assertEquals(x.ino(), s.ino());
        assertTrue(x.isRegularFile());
        int dirfd = dirfd();
        assertErrno(Errno.ENOENT, () -> Fs.statx(dirfd, MISSING, 0, STATX_BASIC_STATS));
        assertErrno(Errno.ENOENT, () -> Fs.fstatat(dirfd, MISSING, 0));
    }

    @Test
    void mkdiratAndMknodatMakeByteNamesAndRefuseExistingOnes() throws Exception {
        int dirfd = dirfd();
        Fs.mkdirat(dirfd, BAD, 0755);
        Fs.mknodat(dirfd, OTHER, FileMode.S_IFIFO | 0644, 0);
        assertTrue(Fs.fstatat(dirfd, BAD, 0).isDirectory());
        assertErrno(Errno.EEXIST, () -> Fs.mkdirat(dirfd, BAD, 0755));
        assertErrno(Errno.EEXIST, () -> Fs.mknodat(dirfd, OTHER, FileMode.S_IFIFO | 0644, 0));
    }

    @Test
    void symlinkatAndReadlinkatKeepTargetBytes() throws Exception {
        int dirfd = dirfd();
        Fs.symlinkat(OTHER, dirfd, BAD);
        assertArrayEquals(OTHER, Fs.readlinkat(dirfd, BAD));
        int link = track(Fs.openat(dirfd, BAD, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0));
        assertArrayEquals(OTHER, Fs.readlinkat(link, new byte[0]), "an empty name reads the fd's own link");
        assertErrno(Errno.EEXIST, () -> Fs.symlinkat(OTHER, dirfd, BAD));
        create(MISSING);
        assertErrno(Errno.EINVAL, () -> Fs.readlinkat(dirfd, MISSING));
    }

    @Test
    void linkatGivesAByteNameAndRefusesAnExistingOne() throws Exception {
        int fd = create(BAD);
        int dirfd = dirfd();
        Fs.linkat(fd, "", dirfd, OTHER, AT_EMPTY_PATH);
        assertEquals(2, Fs.fstatat(dirfd, OTHER, 0).nlink());
        assertErrno(Errno.EEXIST, () -> Fs.linkat(fd, "", dirfd, BAD, AT_EMPTY_PATH));
    }

    @Test
    void unlinkatRemovesAByteNameAndAMissingOneIsEnoent() throws Exception {
        create(BAD);
        int dirfd = dirfd();
        Fs.unlinkat(dirfd, BAD, 0);
        assertTrue(names().isEmpty());
        assertErrno(Errno.ENOENT, () -> Fs.unlinkat(dirfd, BAD, 0));
    }

    @Test
    void renameat2MovesByteNamesAndNoReplaceRefusesAnExistingOne() throws Exception {
        create(BAD);
        create(MISSING);
        int dirfd = dirfd();
        Fs.renameat2(dirfd, BAD, dirfd, OTHER, 0);
        assertErrno(Errno.ENOENT, () -> Fs.fstatat(dirfd, BAD, 0));
        assertErrno(Errno.EEXIST, () -> Fs.renameat2(dirfd, OTHER, dirfd, MISSING, RenameFlags.RENAME_NOREPLACE));
        assertTrue(Fs.fstatat(dirfd, OTHER, 0).isRegularFile());
    }
}

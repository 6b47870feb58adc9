package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.LockFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LocksTest extends NativeTestBase {

    @Test
    void ofdLockOnOneOpenFileIsReportedAndConflictsThroughAnother() throws Exception {
        Path a = file("a", "0123456789");
        int holder = open(a, OpenFlags.O_RDWR);
        int other = open(a, OpenFlags.O_RDWR); // a second open file description, same process
        Locks.ofdSetlk(holder, Flock.of(F_WRLCK, 2, 4));

        Flock seen = Locks.ofdGetlk(other, Flock.of(F_WRLCK, 0, 0));
        assertEquals(F_WRLCK, seen.type());
        assertEquals(2, seen.start());
        assertEquals(4, seen.len());
        assertEquals(-1, seen.pid()); // OFD locks have no owning process
        assertErrno(Errno.EAGAIN, () -> Locks.ofdSetlk(other, Flock.of(F_RDLCK, 3, 1)));

        assertEquals(F_UNLCK, Locks.ofdGetlk(other, Flock.of(F_WRLCK, 6, 4)).type()); // past the lock
        Locks.ofdSetlk(holder, Flock.of(F_UNLCK, 0, 0));
        Locks.ofdSetlkw(other, Flock.of(F_RDLCK, 3, 1));
        assertEquals(F_UNLCK, Locks.ofdGetlk(other, Flock.of(F_RDLCK, 0, 0)).type());
    }

    @Test
    void ofdLocksReportTheirErrnos() throws Exception {
        int fd = open(file("a", ""), OpenFlags.O_RDONLY);
        assertErrno(Errno.EINVAL, () -> Locks.ofdSetlk(fd, new Flock(F_RDLCK, Whence.SEEK_SET, 0, 0, 1234))); // pid must be 0
        assertErrno(Errno.EBADF, () -> Locks.ofdSetlk(fd, Flock.of(F_WRLCK, 0, 0))); // not open for writing
        assertErrno(Errno.EBADF, () -> Locks.ofdGetlk(99_999, Flock.of(F_RDLCK, 0, 0)));
        assertErrno(Errno.EBADF, () -> Locks.ofdSetlkw(99_999, Flock.of(F_RDLCK, 0, 0)));
    }

    @Test
    void flockExclusiveNonBlockingConflictsWithEwouldblock() throws Exception {
        Path a = file("a", "");
        int first = open(a, OpenFlags.O_RDONLY);
        int second = open(a, OpenFlags.O_RDONLY);
        Locks.flock(first, LOCK_EX | LOCK_NB);
        assertErrno(Errno.EWOULDBLOCK, () -> Locks.flock(second, LOCK_SH | LOCK_NB));
        Locks.flock(first, LOCK_UN);
        Locks.flock(second, LOCK_SH | LOCK_NB);
        assertErrno(Errno.EBADF, () -> Locks.flock(99_999, LOCK_EX));
        assertErrno(Errno.EINVAL, () -> Locks.flock(first, 0));
    }
}

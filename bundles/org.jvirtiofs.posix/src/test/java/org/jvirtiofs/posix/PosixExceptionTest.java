package org.jvirtiofs.posix;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class PosixExceptionTest {

    @Test
    void messageNamesTheCallTheDetailAndTheErrno() {
        PosixException e = new PosixException(Errno.ENOENT, "openat", "a/b");
        assertEquals("openat(\"a/b\"): ENOENT (No such file or directory)", e.getMessage());
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("openat", e.call());
        assertEquals("a/b", e.detail());
        assertEquals("pipe2(): EMFILE (Too many open files)", new PosixException(Errno.EMFILE, "pipe2", null).getMessage());
    }

    @Test
    void carriesNoStackTrace() {
        assertEquals(0, new PosixException(Errno.EIO, "read", "3").getStackTrace().length);
    }

    @Test
    void errnoNamesCoverLinuxValuesAndAliases() {
        assertEquals("EXDEV", Errno.name(18));
        assertEquals("Invalid cross-device link", Errno.description(Errno.EXDEV));
        assertEquals("EAGAIN", Errno.name(Errno.EWOULDBLOCK));
        assertEquals("EOPNOTSUPP", Errno.name(95));
        assertEquals("EDEADLK", Errno.name(35));
        assertEquals("E4242", Errno.name(4242));
        assertEquals("Unknown error 4242", Errno.description(4242));
    }

    @Test
    void devEncodingRoundTripsLargeMajorAndMinorNumbers() {
        long dev = Stat.makedev(0x12345, 0x6789a);
        assertEquals(0x12345, Stat.major(dev));
        assertEquals(0x6789a, Stat.minor(dev));
        assertEquals(0x0801L, Stat.makedev(8, 1));
    }
}

package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FsExceptionTest {

    @Test
    void fsExceptionHasNoStackTrace() {
        assertEquals(0, FsException.of(Errno.ENOENT).getStackTrace().length);
        assertEquals(0, FsException.of(Errno.EIO, "disk gone").getStackTrace().length);
    }

    @Test
    void commonErrnosAreSharedSoThrowingAllocatesNothing() {
        assertSame(FsException.of(Errno.ENOENT), FsException.of(Errno.ENOENT));
        assertSame(FsException.of(Errno.ENOSYS), FsException.of(Errno.ENOSYS));
    }

    @Test
    void sharedInstancesCannotBeChanged() {
        FsException shared = FsException.of(Errno.ENOENT);
        shared.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("C", "m", "F.java", 1)});
        shared.addSuppressed(new RuntimeException("x"));
        assertThrows(IllegalStateException.class, () -> shared.initCause(new RuntimeException()));
        assertEquals(0, shared.getStackTrace().length);
        assertEquals(0, shared.getSuppressed().length);
        assertNull(shared.getCause());
    }

    @Test
    void exceptionCarriesItsErrnoAndName() {
        FsException e = FsException.of(Errno.ENOTEMPTY);
        assertEquals(39, e.errno());
        assertEquals("ENOTEMPTY", e.getMessage());
    }

    @Test
    void detailMessageGivesAFreshExceptionNamingTheErrno() {
        FsException e = FsException.of(Errno.ENOENT, "source /srv/x does not exist");
        assertNotSame(FsException.of(Errno.ENOENT), e);
        assertEquals(Errno.ENOENT, e.errno());
        assertEquals("ENOENT: source /srv/x does not exist", e.getMessage());
    }

    @Test
    void unusualErrnoStillWorks() {
        FsException e = FsException.of(4095);
        assertEquals(4095, e.errno());
        assertEquals("errno 4095", e.getMessage());
    }

    @Test
    void negatedOrZeroErrnoIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> FsException.of(-2));
        assertThrows(IllegalArgumentException.class, () -> FsException.of(0));
        assertThrows(IllegalArgumentException.class, () -> FsException.of(-2, "why"));
    }
}

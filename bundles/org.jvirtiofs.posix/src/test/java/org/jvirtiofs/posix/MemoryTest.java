package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.MemFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class MemoryTest extends NativeTestBase {
    private static final int PAGE = 4096;

    @Test
    void memfdMappedTwiceShowsWritesThroughOneMappingInTheOther() throws Exception {
        int memfd = track(Memory.memfdCreate("guest-ram", MFD_CLOEXEC));
        Io.ftruncate(memfd, 4 * PAGE);
        MappedRegion first = Memory.mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
        MappedRegion second = Memory.mmap(4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
        try {
            assertNotEquals(first.address(), second.address());
            first.windowFor(0).putLong(3 * PAGE + 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, second.windowFor(0).getLong(3 * PAGE + 8));
            assertEquals(ByteOrder.LITTLE_ENDIAN, second.windowFor(0).order());
        } finally {
            Memory.munmap(first);
            Memory.munmap(second);
        }
    }

    @Test
    void mmapAtAFileOffsetSeesThatPartOfTheFile() throws Exception {
        int memfd = track(Memory.memfdCreate("offset", MFD_CLOEXEC));
        Io.ftruncate(memfd, 2 * PAGE);
        Io.pwrite(memfd, direct("second page"), PAGE);
        MappedRegion region = Memory.mmap(PAGE, PROT_READ, MAP_SHARED, memfd, PAGE);
        try {
            byte[] bytes = new byte[11];
            region.windowFor(0).get(0, bytes);
            assertEquals("second page", new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            Memory.munmap(region);
        }
    }

    @Test
    void mmapSplitsARegionIntoWindowsOfTheGivenSize() throws Exception {
        int memfd = track(Memory.memfdCreate("windows", MFD_CLOEXEC));
        long length = 5L * PAGE + 100;
        Io.ftruncate(memfd, length);
        MappedRegion region = Memory.mmap(length, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0, 2 * PAGE);
        try {
            assertEquals(3, region.windows().size());
            assertEquals(2 * PAGE, region.windows().get(0).capacity());
            assertEquals(2 * PAGE, region.windows().get(1).capacity());
            assertEquals(PAGE + 100, region.windows().get(2).capacity());
            assertEquals(1, region.windowIndex(2 * PAGE));
            assertEquals(2, region.windowIndex(length - 1));
            assertEquals(5, region.offsetInWindow(4 * PAGE + 5));
            region.windowFor(4 * PAGE + 5).put(region.offsetInWindow(4 * PAGE + 5), (byte) 42);
            ByteBuffer check = ByteBuffer.allocateDirect(1);
            Io.pread(memfd, check, 4 * PAGE + 5);
            assertEquals(42, check.get(0));
            assertThrows(IndexOutOfBoundsException.class, () -> region.windowFor(length));
        } finally {
            Memory.munmap(region);
        }
    }

    @Test
    void defaultWindowsAreAtMostOneGibibyte() throws Exception {
        // MAP_NORESERVE anonymous memory: address space only, nothing is touched
        long length = (1L << 30) + PAGE;
        MappedRegion region = Memory.mmap(length, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        try {
            assertEquals(2, region.windows().size());
            assertEquals(1 << 30, region.windows().get(0).capacity());
            assertEquals(PAGE, region.windows().get(1).capacity());
        } finally {
            Memory.munmap(region);
        }
    }

    @Test
    void mmapAndMunmapReportTheirErrnos() throws Exception {
        assertErrno(Errno.EBADF, () -> Memory.mmap(PAGE, PROT_READ, MAP_SHARED, 99_999, 0));
        int memfd = track(Memory.memfdCreate("bad-offset", MFD_CLOEXEC));
        Io.ftruncate(memfd, PAGE);
        assertErrno(Errno.EINVAL, () -> Memory.mmap(PAGE, PROT_READ, MAP_SHARED, memfd, 100));
        MappedRegion misaligned = new MappedRegion(12345, PAGE, PAGE, java.util.List.of());
        assertErrno(Errno.EINVAL, () -> Memory.munmap(misaligned));
    }

    @Test
    void memfdCreateRefusesUnknownFlags() {
        assertErrno(Errno.EINVAL, () -> Memory.memfdCreate("x", 0x1000_0000));
    }

    @Test
    void eventfdCountsWritesAndReadResetsTheCounter() throws Exception {
        int efd = track(Memory.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        Memory.eventfdWrite(efd, 2);
        Memory.eventfdWrite(efd, 3);
        assertEquals(5, Memory.eventfdRead(efd));
        assertErrno(Errno.EAGAIN, () -> Memory.eventfdRead(efd));
    }

    @Test
    void eventfdInSemaphoreModeReadsOneAtATime() throws Exception {
        int efd = track(Memory.eventfd(2, EFD_CLOEXEC | EFD_NONBLOCK | EFD_SEMAPHORE));
        assertEquals(1, Memory.eventfdRead(efd));
        assertEquals(1, Memory.eventfdRead(efd));
        assertErrno(Errno.EAGAIN, () -> Memory.eventfdRead(efd));
    }

    @Test
    void eventfdRefusesBadFlagsAndTheMaximumValue() throws Exception {
        assertErrno(Errno.EINVAL, () -> Memory.eventfd(0, 0x1000_0000));
        int efd = track(Memory.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
        assertErrno(Errno.EINVAL, () -> Memory.eventfdWrite(efd, -1L)); // 0xffffffffffffffff is reserved
    }
}

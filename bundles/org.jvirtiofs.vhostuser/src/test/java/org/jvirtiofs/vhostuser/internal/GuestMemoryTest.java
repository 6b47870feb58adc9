package org.jvirtiofs.vhostuser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    private static final long WINDOW = 4096;
    private final List<MemoryRegion> mapped = new ArrayList<>();

    /** A memfd-backed region mapped with 4 KiB windows, so window boundaries are easy to cross. */
    private MemoryRegion region(long gpa, long size, long uaddr, long mmapOffset) throws Exception {
        int fd = Memory.memfdCreate("guest-memory-test", MemFlags.MFD_CLOEXEC);
        try {
            Io.ftruncate(fd, size + mmapOffset);
            MemoryRegion region = MemoryRegion.map(gpa, size, uaddr, mmapOffset, fd, WINDOW);
            mapped.add(region);
            return region;
        } finally {
            Io.close(fd);
        }
    }

    @AfterEach
    void unmap() throws PosixException {
        for (MemoryRegion region : mapped) {
            region.unmap();
        }
    }

    @Test
    void guestPhysicalAndUserAddressesReachTheSameBytes() throws Exception {
        GuestMemory memory = GuestMemory.EMPTY.with(region(0x10000, 0x4000, 0x7f0000000000L, 0));
        ByteBuffer byGpa = memory.slice(0x10100, 8);
        ByteBuffer byUaddr = memory.ring(0x7f0000000100L, 8, 4);
        byGpa.putLong(0, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, byUaddr.getLong(0));
    }

    @Test
    void mmapOffsetShiftsTheViewIntoTheMapping() throws Exception {
        MemoryRegion region = region(0, 0x2000, 0x1000_0000L, 0x1000);
        GuestMemory memory = GuestMemory.EMPTY.with(region);
        memory.slice(0, 4).putInt(0, 42);
        assertEquals(42, region.mapping().windowFor(0x1000).getInt(0));
    }

    @Test
    void bufferCrossingAWindowBoundaryBecomesTwoSegments() throws Exception {
        GuestMemory memory = GuestMemory.EMPTY.with(region(0, 0x4000, 0x1000_0000L, 0));
        List<ByteBuffer> segments = memory.segments(WINDOW - 10, 30);
        assertEquals(2, segments.size());
        assertEquals(10, segments.get(0).remaining());
        assertEquals(20, segments.get(1).remaining());
        assertNull(memory.slice(WINDOW - 10, 30), "a table view must lie in one window");
    }

    @Test
    void rangesOutsideOrAcrossRegionsDoNotTranslate() throws Exception {
        GuestMemory memory = GuestMemory.EMPTY.with(region(0, 0x2000, 0x1000_0000L, 0))
                .with(region(0x2000, 0x2000, 0x2000_0000L, 0));
        assertEquals(1, memory.segments(0x1ff0, 0x10).size());
        assertTrue(memory.segments(0x1ff0, 0x20).isEmpty(), "straddles two regions");
        assertTrue(memory.segments(0x4000, 1).isEmpty(), "past the end");
        assertTrue(memory.segments(-16, 32).isEmpty(), "wraps around 2^64");
        assertTrue(memory.segments(0x100, -1L).isEmpty(), "length beyond the region");
        assertNull(memory.ring(0x1000_0000L + 0x1ff8, 16, 2), "ring past its region");
    }

    @Test
    void misalignedRingsDoNotTranslate() throws Exception {
        GuestMemory memory = GuestMemory.EMPTY.with(region(0, 0x2000, 0x1000_0000L, 0));
        assertNull(memory.ring(0x1000_0002L, 16, 4));
        assertNotNull(memory.ring(0x1000_0004L, 16, 4));
    }

    @Test
    void regionsAreFoundForRemovalAndOverlapsAreDetected() throws Exception {
        MemoryRegion low = region(0, 0x2000, 0x1000_0000L, 0);
        GuestMemory memory = GuestMemory.EMPTY.with(low);
        assertEquals(low, memory.find(0, 0x2000));
        assertNull(memory.find(0, 0x1000));
        assertNotNull(memory.overlapping(0x1000, 0x2000, 0x5000_0000L), "guest-physical overlap");
        assertNotNull(memory.overlapping(0x9000, 0x1000, 0x1000_1000L), "user address overlap");
        assertNull(memory.overlapping(0x2000, 0x1000, 0x1000_2000L));
        assertTrue(memory.without(low).regions().isEmpty());
    }

    @Test
    void regionsThatOverflowOrExceedTheirFileAreRefused() throws Exception {
        int fd = Memory.memfdCreate("guest-memory-test", MemFlags.MFD_CLOEXEC);
        try {
            Io.ftruncate(fd, 0x1000);
            assertThrows(RejectedRequestException.class, () -> MemoryRegion.map(0, 0x2000, 0, 0, fd, WINDOW));
            assertThrows(RejectedRequestException.class, () -> MemoryRegion.map(-0x800, 0x1000, 0, 0, fd, WINDOW));
            assertThrows(RejectedRequestException.class, () -> MemoryRegion.map(0, 0, 0, 0, fd, WINDOW));
            assertThrows(RejectedRequestException.class, () -> MemoryRegion.map(0, 0x1000, 0, -1, fd, WINDOW));
        } finally {
            Io.close(fd);
        }
    }
}

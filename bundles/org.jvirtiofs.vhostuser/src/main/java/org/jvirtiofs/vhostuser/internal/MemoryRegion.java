package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.MappedRegion;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;

/**
 * One guest memory region as VhostUserMemoryRegion describes it ({@code guest_phys_addr},
 * {@code memory_size}, {@code userspace_addr}, {@code mmap_offset}) plus our MAP_SHARED mapping of
 * its fd from offset 0, so region byte {@code o} sits at mapping byte {@code mmapOffset + o}.
 */
public record MemoryRegion(long gpa, long size, long uaddr, long mmapOffset, MappedRegion mapping) {

    /**
     * Maps {@code size + mmapOffset} bytes of {@code fd} (which stays the caller's to close) in
     * windows of {@code windowSize} bytes.
     */
    public static MemoryRegion map(long gpa, long size, long uaddr, long mmapOffset, int fd, long windowSize)
            throws RejectedRequestException {
        long length = size + mmapOffset;
        if (size <= 0 || mmapOffset < 0 || length <= 0 || !fits(gpa, size) || !fits(uaddr, size)) {
            throw new RejectedRequestException(String.format(
                    "memory region gpa 0x%x size 0x%x uaddr 0x%x offset 0x%x out of range", gpa, size, uaddr, mmapOffset));
        }
        try {
            Stat stat = Fs.fstat(fd);
            // Touching a shared mapping beyond the end of its file raises SIGBUS: refuse it up front.
            if (stat.isRegularFile() && stat.size() < length) {
                throw new RejectedRequestException(String.format(
                        "memory region of 0x%x bytes at offset 0x%x exceeds its file of 0x%x bytes", size, mmapOffset, stat.size()));
            }
            MappedRegion mapping = Memory.mmap(length, MemFlags.PROT_READ | MemFlags.PROT_WRITE, MemFlags.MAP_SHARED,
                    fd, 0, windowSize);
            return new MemoryRegion(gpa, size, uaddr, mmapOffset, mapping);
        } catch (PosixException e) {
            throw new RejectedRequestException("cannot map memory region: " + e.getMessage());
        }
    }

    /** Whether [start, start+size) stays below 2^64 (addresses are unsigned). */
    private static boolean fits(long start, long size) {
        return Long.compareUnsigned(size - 1, ~start) <= 0;
    }

    /** Whether guest-physical address {@code address} lies in this region. */
    public boolean containsGpa(long address) {
        return Long.compareUnsigned(address - gpa, size) < 0;
    }

    /** Whether frontend user address {@code address} lies in this region. */
    public boolean containsUaddr(long address) {
        return Long.compareUnsigned(address - uaddr, size) < 0;
    }

    /** Whether this region's guest-physical or user ranges overlap the other's. */
    public boolean overlaps(long otherGpa, long otherSize, long otherUaddr) {
        return rangesOverlap(gpa, size, otherGpa, otherSize) || rangesOverlap(uaddr, size, otherUaddr, otherSize);
    }

    private static boolean rangesOverlap(long a, long aSize, long b, long bSize) {
        return Long.compareUnsigned(b - a, aSize) < 0 || Long.compareUnsigned(a - b, bSize) < 0;
    }

    /**
     * Appends views of region bytes [offset, offset+length) to {@code out}, one per mapping window
     * touched; the caller has checked the range lies inside the region.
     */
    void views(long offset, long length, SegmentList out) {
        long at = mmapOffset + offset;
        long remaining = length;
        while (remaining > 0) {
            ByteBuffer window = mapping.windowFor(at);
            int inWindow = mapping.offsetInWindow(at);
            int n = (int) Math.min(remaining, window.capacity() - inWindow);
            out.add(window, inWindow, n);
            at += n;
            remaining -= n;
        }
    }

    /** A view of region bytes [offset, offset+length) if they sit in one window, else null. */
    ByteBuffer view(long offset, int length) {
        long at = mmapOffset + offset;
        int inWindow = mapping.offsetInWindow(at);
        ByteBuffer window = mapping.windowFor(at);
        if (window.capacity() - inWindow < length) {
            return null;
        }
        return window.slice(inWindow, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Whether byte {@code offset} of the region sits at a host address aligned to {@code align}. */
    boolean aligned(long offset, int align) {
        // mmap returns page-aligned addresses, so alignment follows from the offset alone
        return (mmapOffset + offset) % align == 0;
    }

    /** Unmaps the region; no buffer from it may be touched afterwards. */
    public void unmap() throws PosixException {
        Memory.munmap(mapping);
    }
}

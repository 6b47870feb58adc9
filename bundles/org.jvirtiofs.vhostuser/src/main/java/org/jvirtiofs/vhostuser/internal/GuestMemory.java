package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * The guest's memory as the frontend described it: an immutable table of mapped regions that
 * translates guest-physical addresses (descriptors) and frontend user addresses (ring addresses)
 * into bounds-checked views. Changes produce a new table, so a running queue keeps a stable one.
 */
public final class GuestMemory {
    /** No memory yet: every translation fails. */
    public static final GuestMemory EMPTY = new GuestMemory(new MemoryRegion[0]);

    private final MemoryRegion[] regions;

    private GuestMemory(MemoryRegion[] regions) {
        this.regions = regions;
    }

    /** A table of exactly these regions. */
    public static GuestMemory of(List<MemoryRegion> regions) {
        return new GuestMemory(regions.toArray(new MemoryRegion[0]));
    }

    public List<MemoryRegion> regions() {
        return List.of(regions);
    }

    /** This table plus {@code region}. */
    public GuestMemory with(MemoryRegion region) {
        MemoryRegion[] more = Arrays.copyOf(regions, regions.length + 1);
        more[regions.length] = region;
        return new GuestMemory(more);
    }

    /** This table without {@code region}. */
    public GuestMemory without(MemoryRegion region) {
        return new GuestMemory(Arrays.stream(regions).filter(r -> r != region).toArray(MemoryRegion[]::new));
    }

    /** The region overlapping the given ranges, or null: regions must not overlap. */
    public MemoryRegion overlapping(long gpa, long size, long uaddr) {
        for (MemoryRegion region : regions) {
            if (region.overlaps(gpa, size, uaddr)) {
                return region;
            }
        }
        return null;
    }

    /** The region with exactly this guest-physical start and size, or null. */
    public MemoryRegion find(long gpa, long size) {
        for (MemoryRegion region : regions) {
            if (region.gpa() == gpa && region.size() == size) {
                return region;
            }
        }
        return null;
    }

    /**
     * Appends views of guest-physical [gpa, gpa+length) to {@code out}, split at mapping window
     * boundaries. False (and nothing appended) when the range is not inside one region.
     */
    boolean segments(long gpa, long length, SegmentList out) {
        for (MemoryRegion region : regions) {
            if (region.containsGpa(gpa)) {
                long offset = gpa - region.gpa();
                if (Long.compareUnsigned(length, region.size() - offset) > 0) {
                    return false;
                }
                region.views(offset, length, out);
                return true;
            }
        }
        return false;
    }

    /** A view of guest-physical [gpa, gpa+length) when it lies in one region and window, else null. */
    public ByteBuffer slice(long gpa, int length) {
        for (MemoryRegion region : regions) {
            if (region.containsGpa(gpa)) {
                long offset = gpa - region.gpa();
                return Long.compareUnsigned(length, region.size() - offset) > 0 ? null : region.view(offset, length);
            }
        }
        return null;
    }

    /**
     * A view of a ring at frontend user address {@code uaddr} (SET_VRING_ADDR carries QEMU's own
     * addresses) of {@code length} bytes, aligned to {@code align}; null when it does not fit.
     */
    public ByteBuffer ring(long uaddr, int length, int align) {
        for (MemoryRegion region : regions) {
            if (region.containsUaddr(uaddr)) {
                long offset = uaddr - region.uaddr();
                if (Long.compareUnsigned(length, region.size() - offset) > 0 || !region.aligned(offset, align)) {
                    return null;
                }
                return region.view(offset, length);
            }
        }
        return null;
    }

    /** Convenience for tests and logs: the views of a range, or an empty list when it is invalid. */
    public List<ByteBuffer> segments(long gpa, long length) {
        SegmentList out = new SegmentList();
        return segments(gpa, length, out) ? List.of(out.toArray()) : List.of();
    }
}

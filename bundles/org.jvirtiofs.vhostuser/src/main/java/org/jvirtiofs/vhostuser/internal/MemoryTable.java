package org.jvirtiofs.vhostuser.internal;

import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection's guest memory and the messages that change it: VHOST_USER_SET_MEM_TABLE
 * (the whole table, at most 8 regions), VHOST_USER_ADD_MEM_REG and VHOST_USER_REM_MEM_REG.
 * Builds the next {@link GuestMemory}; the session swaps it in while workers are stopped and
 * then unmaps what left the table.
 */
final class MemoryTable {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryTable.class);
    /** VhostUserMemoryRegion: u64 guest_phys_addr, memory_size, userspace_addr, mmap_offset. */
    static final int REGION_SIZE = 32;
    /** VhostUserMemory: u32 nregions, u32 padding, then the regions. */
    static final int TABLE_HEADER_SIZE = 8;
    /** VhostUserMemRegMsg: u64 padding, then one region. */
    static final int MEM_REG_SIZE = 8 + REGION_SIZE;

    private final int maxSlots;
    private final long windowSize;
    private GuestMemory memory = GuestMemory.EMPTY;

    MemoryTable(int maxSlots, long windowSize) {
        this.maxSlots = maxSlots;
        this.windowSize = windowSize;
    }

    int maxSlots() {
        return maxSlots;
    }

    GuestMemory current() {
        return memory;
    }

    /** Parses and maps a SET_MEM_TABLE message's regions: the next table, replacing all. */
    GuestMemory parseTable(Message message) throws ProtocolException, RejectedRequestException {
        if (message.size() < TABLE_HEADER_SIZE) {
            throw new ProtocolException("SET_MEM_TABLE with a payload of " + message.size() + " bytes");
        }
        int n = message.u32(0);
        if (n < 0 || n > VhostUser.MAX_FDS || message.size() < TABLE_HEADER_SIZE + n * REGION_SIZE
                || message.size() > TABLE_HEADER_SIZE + VhostUser.MAX_FDS * REGION_SIZE) {
            throw new ProtocolException("SET_MEM_TABLE of " + Integer.toUnsignedString(n) + " regions in "
                    + message.size() + " bytes");
        }
        if (message.fdCount() != n) {
            throw new ProtocolException("SET_MEM_TABLE of " + n + " regions with " + message.fdCount() + " fds");
        }
        GuestMemory next = GuestMemory.EMPTY;
        try {
            for (int i = 0; i < n; i++) {
                next = next.with(mapRegion(next, message, TABLE_HEADER_SIZE + i * REGION_SIZE, i));
            }
        } catch (RejectedRequestException e) {
            unmapAll(next.regions());
            throw e;
        }
        return next;
    }

    /** Parses and maps an ADD_MEM_REG message's region: the next table, with it added. */
    GuestMemory parseAdd(Message message) throws ProtocolException, RejectedRequestException {
        message.expectSize(MEM_REG_SIZE);
        if (message.fdCount() != 1) {
            throw new ProtocolException("ADD_MEM_REG with " + message.fdCount() + " fds");
        }
        if (memory.regions().size() >= maxSlots) {
            throw new RejectedRequestException("ADD_MEM_REG beyond " + maxSlots + " memory slots");
        }
        return memory.with(mapRegion(memory, message, 8, 0));
    }

    /** The region a REM_MEM_REG message names (matched on address and size). */
    MemoryRegion parseRemove(Message message) throws ProtocolException, RejectedRequestException {
        message.expectSize(MEM_REG_SIZE);
        if (message.fdCount() > 1) {
            // QEMU sends no fd; the spec once asked for one: accept both, keep neither
            throw new ProtocolException("REM_MEM_REG with " + message.fdCount() + " fds");
        }
        MemoryRegion region = memory.find(message.u64(8), message.u64(16));
        if (region == null) {
            throw new RejectedRequestException(String.format("REM_MEM_REG of unknown region gpa 0x%x size 0x%x",
                    message.u64(8), message.u64(16)));
        }
        return region;
    }

    private MemoryRegion mapRegion(GuestMemory table, Message message, int at, int fdIndex)
            throws RejectedRequestException {
        long gpa = message.u64(at);
        long size = message.u64(at + 8);
        long uaddr = message.u64(at + 16);
        long mmapOffset = message.u64(at + 24);
        if (table.overlapping(gpa, size, uaddr) != null) {
            throw new RejectedRequestException(String.format(
                    "memory region gpa 0x%x size 0x%x uaddr 0x%x overlaps another", gpa, size, uaddr));
        }
        int fd = message.takeFd(fdIndex);
        try {
            MemoryRegion region = MemoryRegion.map(gpa, size, uaddr, mmapOffset, fd, windowSize);
            LOG.debug("mapped guest memory gpa 0x{} size 0x{} uaddr 0x{}", Long.toHexString(gpa),
                    Long.toHexString(size), Long.toHexString(uaddr));
            return region;
        } finally {
            Message.closeQuietly(fd); // the mapping keeps the memory alive
        }
    }

    /**
     * Makes {@code next} current and unmaps the regions only the old table had; with
     * {@code mayUnmap} false (a worker is stuck and may touch them) they are leaked instead.
     */
    void install(GuestMemory next, boolean mayUnmap) {
        List<MemoryRegion> gone = new ArrayList<>(memory.regions());
        // by identity: region records compare their mappings' buffers by content
        gone.removeIf(old -> next.regions().stream().anyMatch(kept -> kept == old));
        memory = next;
        if (mayUnmap) {
            unmapAll(gone);
        } else if (!gone.isEmpty()) {
            LOG.error("leaking {} guest memory mappings: a queue handler is still running", gone.size());
        }
    }

    /** Unmaps regions; used for a table that was never installed, and on teardown via install(EMPTY). */
    static void unmapAll(List<MemoryRegion> regions) {
        for (MemoryRegion region : regions) {
            try {
                region.unmap();
            } catch (PosixException e) {
                LOG.warn("cannot unmap guest memory: {}", e.getMessage());
            }
        }
    }
}

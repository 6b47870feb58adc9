package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks one descriptor chain of a split virtqueue (virtio 1.1 §2.6.5): 16-byte descriptors
 * {@code u64 addr, u32 len, u16 flags, u16 next}, following NEXT through the descriptor table
 * or one INDIRECT table. Every address is translated through {@link GuestMemory}; lengths are
 * bounded by the table sizes, which also catches loops.
 */
final class ChainParser {
    static final int VIRTQ_DESC_F_NEXT = 1;
    static final int VIRTQ_DESC_F_WRITE = 2;
    static final int VIRTQ_DESC_F_INDIRECT = 4;
    static final int DESCRIPTOR_SIZE = 16;

    private final GuestMemory memory;
    private final ByteBuffer descriptorTable;
    private final int queueSize;
    private final boolean indirectAllowed;

    ChainParser(GuestMemory memory, ByteBuffer descriptorTable, int queueSize, boolean indirectAllowed) {
        this.memory = memory;
        this.descriptorTable = descriptorTable;
        this.queueSize = queueSize;
        this.indirectAllowed = indirectAllowed;
    }

    /** The chain starting at {@code head} (already checked to be below the queue size). */
    DescriptorChain parse(int head) {
        List<ByteBuffer> readable = new ArrayList<>(4);
        List<ByteBuffer> writable = new ArrayList<>(4);
        Walk walk = new Walk(descriptorTable, queueSize, head);
        long writableBytes = 0;
        while (true) {
            String error = walk.check();
            if (error != null) {
                return DescriptorChain.broken(head, error);
            }
            int at = walk.index * DESCRIPTOR_SIZE;
            long addr = walk.table.getLong(at);
            long len = Integer.toUnsignedLong(walk.table.getInt(at + 8));
            int flags = Short.toUnsignedInt(walk.table.getShort(at + 12));
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                error = enterIndirect(walk, addr, len, flags);
                if (error != null) {
                    return DescriptorChain.broken(head, error);
                }
                continue;
            }
            boolean write = (flags & VIRTQ_DESC_F_WRITE) != 0;
            if (!write && !writable.isEmpty()) {
                return DescriptorChain.broken(head, "device-readable descriptor after a device-writable one");
            }
            if (len > 0 && !memory.segments(addr, len, write ? writable : readable)) {
                return DescriptorChain.broken(head, String.format("buffer at 0x%x (+%d) outside guest memory"
                        + " or across regions", addr, len));
            }
            writableBytes += write ? len : 0;
            if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
                return new DescriptorChain(head, readable.toArray(new ByteBuffer[0]),
                        writable.toArray(new ByteBuffer[0]), writableBytes, null);
            }
            walk.index = Short.toUnsignedInt(walk.table.getShort(at + 14));
        }
    }

    /** Continues the walk at the start of an indirect table; returns why it cannot, or null. */
    private String enterIndirect(Walk walk, long addr, long len, int flags) {
        String error = indirectError(walk.inIndirect, flags, len);
        if (error != null) {
            return error;
        }
        ByteBuffer table = memory.slice(addr, (int) len);
        if (table == null) {
            return String.format("indirect table at 0x%x (+%d) outside guest memory or across a window", addr, len);
        }
        walk.table = table;
        walk.tableSize = (int) (len / DESCRIPTOR_SIZE);
        walk.budget = walk.tableSize;
        walk.inIndirect = true;
        walk.index = 0;
        return null;
    }

    /** Why an INDIRECT descriptor is unusable, or null. */
    private String indirectError(boolean inIndirect, int flags, long len) {
        if (!indirectAllowed) {
            return "indirect descriptor without VIRTIO_RING_F_INDIRECT_DESC";
        }
        if (inIndirect) {
            return "nested indirect descriptor";
        }
        if ((flags & VIRTQ_DESC_F_NEXT) != 0) {
            return "indirect descriptor with NEXT set";
        }
        if (len == 0 || len % DESCRIPTOR_SIZE != 0 || len / DESCRIPTOR_SIZE > Virtqueue.MAX_QUEUE_SIZE) {
            return "indirect table of " + len + " bytes";
        }
        return null;
    }

    /** Where a walk stands: the table it reads, and how many more descriptors it may visit there. */
    private static final class Walk {
        ByteBuffer table;
        int tableSize;
        int budget;
        int index;
        boolean inIndirect;

        Walk(ByteBuffer table, int tableSize, int head) {
            this.table = table;
            this.tableSize = tableSize;
            this.budget = tableSize;
            this.index = head;
        }

        /** Why the next step is invalid (index out of the table, or more steps than entries: a loop), or null. */
        String check() {
            if (index >= tableSize) {
                return "next index " + index + " beyond a table of " + tableSize;
            }
            if (budget-- == 0) {
                return "chain longer than its table of " + tableSize + ": a loop";
            }
            return null;
        }
    }
}

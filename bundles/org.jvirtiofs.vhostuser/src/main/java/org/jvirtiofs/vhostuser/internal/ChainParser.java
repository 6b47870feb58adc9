package org.jvirtiofs.vhostuser.internal;

import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTQ_DESC_F_INDIRECT;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTQ_DESC_F_NEXT;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTQ_DESC_F_WRITE;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTQ_DESC_SIZE;

import java.nio.ByteBuffer;

/**
 * Walks one descriptor chain of a split virtqueue (virtio 1.1 §2.6.5): 16-byte descriptors
 * {@code u64 addr, u32 len, u16 flags, u16 next}, following NEXT through the descriptor table
 * or one INDIRECT table. Every address is translated through {@link GuestMemory}; lengths are
 * bounded by the table sizes, which also catches loops.
 */
final class ChainParser {
    private final GuestMemory memory;
    private final ByteBuffer descriptorTable;
    private final int queueSize;
    private final boolean indirectAllowed;
    // Where the walk in progress stands: the table it reads, and how many more descriptors it may
    // visit there. Only the queue's worker parses, one chain at a time.
    private ByteBuffer table;
    /** Where the table starts in {@link #table}: an indirect table is a window's view at its position. */
    private int tableBase;
    private int tableSize;
    private int budget;
    private int index;
    private boolean inIndirect;
    /** The view of the indirect table in use, re-pointed for each chain that has one. */
    private final SegmentList indirectTable = new SegmentList();

    ChainParser(GuestMemory memory, ByteBuffer descriptorTable, int queueSize, boolean indirectAllowed) {
        this.memory = memory;
        this.descriptorTable = descriptorTable;
        this.queueSize = queueSize;
        this.indirectAllowed = indirectAllowed;
    }

    /** The chain starting at {@code head} (already checked to be below the queue size), parsed into {@code into}. */
    DescriptorChain parse(int head, DescriptorChain into) {
        into.begin(head);
        table = descriptorTable;
        tableBase = 0;
        tableSize = queueSize;
        budget = queueSize;
        index = head;
        inIndirect = false;
        long writableBytes = 0;
        while (true) {
            String error = checkStep();
            if (error != null) {
                return into.fail(error);
            }
            int at = tableBase + index * VIRTQ_DESC_SIZE;
            long addr = table.getLong(at);
            long len = Integer.toUnsignedLong(table.getInt(at + 8));
            int flags = Short.toUnsignedInt(table.getShort(at + 12));
            if ((flags & VIRTQ_DESC_F_INDIRECT) != 0) {
                error = enterIndirect(addr, len, flags);
                if (error != null) {
                    return into.fail(error);
                }
                continue;
            }
            boolean write = (flags & VIRTQ_DESC_F_WRITE) != 0;
            if (!write && !into.writableList.isEmpty()) {
                return into.fail("device-readable descriptor after a device-writable one");
            }
            if (len > 0 && !memory.segments(addr, len, write ? into.writableList : into.readableList)) {
                return into.fail(String.format("buffer at 0x%x (+%d) outside guest memory or across regions", addr, len));
            }
            writableBytes += write ? len : 0;
            if ((flags & VIRTQ_DESC_F_NEXT) == 0) {
                return into.finish(writableBytes);
            }
            index = Short.toUnsignedInt(table.getShort(at + 14));
        }
    }

    /** Continues the walk at the start of an indirect table; returns why it cannot, or null. */
    private String enterIndirect(long addr, long len, int flags) {
        String error = indirectError(inIndirect, flags, len);
        if (error != null) {
            return error;
        }
        indirectTable.clear();
        if (!memory.segments(addr, len, indirectTable) || indirectTable.size() != 1) {
            return String.format("indirect table at 0x%x (+%d) outside guest memory or across a window", addr, len);
        }
        table = indirectTable.get(0);
        tableBase = table.position();
        tableSize = (int) (len / VIRTQ_DESC_SIZE);
        budget = tableSize;
        inIndirect = true;
        index = 0;
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
        if (len == 0 || len % VIRTQ_DESC_SIZE != 0 || len / VIRTQ_DESC_SIZE > Virtqueue.MAX_QUEUE_SIZE) {
            return "indirect table of " + len + " bytes";
        }
        return null;
    }

    /** Why the next step is invalid (index out of the table, or more steps than entries: a loop), or null. */
    private String checkStep() {
        if (index >= tableSize) {
            return "next index " + index + " beyond a table of " + tableSize;
        }
        if (budget-- == 0) {
            return "chain longer than its table of " + tableSize + ": a loop";
        }
        return null;
    }
}

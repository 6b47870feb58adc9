package org.jvirtiofs.vhostuser.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.posix.PosixException;

/**
 * A running split virtqueue (virtio 1.1 §2.6) in guest memory, device side. The guest writes
 * the avail ring {@code u16 flags, u16 idx, u16 ring[num], u16 used_event} on another CPU; we
 * write the used ring {@code u16 flags, u16 idx, {u32 id, u32 len}[num], u16 avail_event}.
 *
 * <p>Ordering: avail idx is read with acquire before the entries and descriptors it publishes;
 * a used entry is written before used idx is published with release; a full fence separates
 * publishing (used idx, avail_event) from reading the guest's suppression state (used_event,
 * avail flags, avail idx), as the spec requires so neither side misses a notification.
 *
 * <p>Only the queue's worker pops; completions may come from pool threads and are serialized.
 */
public final class Virtqueue {
    /** The largest split queue size the spec allows. */
    public static final int MAX_QUEUE_SIZE = 32768;

    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int VRING_AVAIL_F_NO_INTERRUPT = 1;
    private static final int RING_IDX = 2;
    private static final int RING_ENTRIES = 4;

    private final int size;
    private final ByteBuffer avail;
    private final ByteBuffer used;
    private final boolean eventIdx;
    private final EventSignal call;
    private final ChainParser parser;
    private int lastAvailIdx;
    private int shadowAvailIdx;
    private int usedIdx;

    private Virtqueue(int size, ByteBuffer avail, ByteBuffer used, boolean eventIdx, EventSignal call,
                      ChainParser parser, int lastAvailIdx) {
        this.size = size;
        this.avail = avail;
        this.used = used;
        this.eventIdx = eventIdx;
        this.call = call;
        this.parser = parser;
        this.lastAvailIdx = lastAvailIdx;
        this.shadowAvailIdx = lastAvailIdx;
        this.usedIdx = Short.toUnsignedInt((short) U16.getAcquire(used, RING_IDX));
    }

    /** Whether {@code n} is a valid split queue size: a power of 2, 1..32768. */
    public static boolean validSize(long n) {
        return n > 0 && n <= MAX_QUEUE_SIZE && (n & (n - 1)) == 0;
    }

    /**
     * Binds a queue of {@code size} to its rings at frontend user addresses; starts popping at
     * {@code base} and continues the used ring where the guest memory says it is.
     */
    public static Virtqueue open(GuestMemory memory, VringAddresses addresses, int size, int base,
                                 long features, EventSignal call) throws RejectedRequestException {
        ByteBuffer desc = memory.ring(addresses.desc(), VhostUser.VIRTQ_DESC_SIZE * size, 16);
        ByteBuffer avail = memory.ring(addresses.avail(), 6 + 2 * size, 2);
        ByteBuffer used = memory.ring(addresses.used(), 6 + 8 * size, 4);
        if (desc == null || avail == null || used == null) {
            throw new RejectedRequestException("rings of " + addresses + " for size " + size
                    + " are misaligned or not inside one mapped window of guest memory");
        }
        boolean indirect = (features & 1L << VhostUser.VIRTIO_RING_F_INDIRECT_DESC) != 0;
        boolean eventIdx = (features & 1L << VhostUser.VIRTIO_RING_F_EVENT_IDX) != 0;
        return new Virtqueue(size, avail, used, eventIdx, call, new ChainParser(memory, desc, size, indirect), base);
    }

    /** The next available chain, in a new instance, or null when the guest has published none. */
    public DescriptorChain pop() throws BrokenRingException {
        return pop(new DescriptorChain());
    }

    /**
     * The next available chain parsed into {@code reuse} (whose previous chain must be done
     * with), or null when the guest has published none.
     */
    public DescriptorChain pop(DescriptorChain reuse) throws BrokenRingException {
        if (lastAvailIdx == shadowAvailIdx) {
            shadowAvailIdx = availIdx();
            int pending = (shadowAvailIdx - lastAvailIdx) & 0xffff;
            if (pending == 0) {
                return null;
            }
            if (pending > size) {
                throw new BrokenRingException("avail idx " + shadowAvailIdx + " is " + pending
                        + " entries ahead of " + lastAvailIdx + " in a queue of " + size);
            }
        }
        int head = Short.toUnsignedInt(avail.getShort(RING_ENTRIES + 2 * (lastAvailIdx & (size - 1))));
        if (head >= size) {
            throw new BrokenRingException("avail ring names head " + head + " in a queue of " + size);
        }
        lastAvailIdx = (lastAvailIdx + 1) & 0xffff;
        return parser.parse(head, reuse);
    }

    /**
     * Re-arms guest notifications after draining: publishes avail_event (with EVENT_IDX) and
     * re-reads avail idx after a full fence. True when more chains arrived meanwhile, which the
     * guest may not kick for: the worker must drain again.
     */
    public boolean rearm() {
        if (eventIdx) {
            U16.setRelease(used, RING_ENTRIES + 8 * size, (short) lastAvailIdx);
        }
        VarHandle.fullFence();
        return availIdx() != lastAvailIdx;
    }

    /** Returns chain {@code head} to the guest with {@code length} bytes written, and signals when due. */
    public synchronized void complete(int head, int length) throws PosixException {
        int slot = RING_ENTRIES + 8 * (usedIdx & (size - 1));
        used.putInt(slot, head);
        used.putInt(slot + 4, length);
        int old = usedIdx;
        usedIdx = (usedIdx + 1) & 0xffff;
        U16.setRelease(used, RING_IDX, (short) usedIdx);
        if (needsNotification(old, usedIdx)) {
            call.signal();
        }
    }

    /** Event suppression (virtio 1.1 §2.6.7.2): vring_need_event with EVENT_IDX, else NO_INTERRUPT. */
    private boolean needsNotification(int oldIdx, int newIdx) {
        VarHandle.fullFence();
        if (eventIdx) {
            int usedEvent = Short.toUnsignedInt((short) U16.getAcquire(avail, RING_ENTRIES + 2 * size));
            return vringNeedEvent(usedEvent, newIdx, oldIdx);
        }
        return (Short.toUnsignedInt((short) U16.getAcquire(avail, 0)) & VRING_AVAIL_F_NO_INTERRUPT) == 0;
    }

    /** The spec's vring_need_event: whether {@code eventIdx} lies in (old, new], modulo 2^16. */
    static boolean vringNeedEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }

    private int availIdx() {
        return Short.toUnsignedInt((short) U16.getAcquire(avail, RING_IDX));
    }

    /** The next avail index to process: what GET_VRING_BASE reports once the queue stopped. */
    public int lastAvailIdx() {
        return lastAvailIdx;
    }

    public int size() {
        return size;
    }
}

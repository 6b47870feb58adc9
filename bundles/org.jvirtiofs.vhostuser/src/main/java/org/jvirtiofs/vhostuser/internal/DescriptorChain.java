package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;

/**
 * One available descriptor chain as segments of guest memory: the device-readable ones (the
 * request), then the device-writable ones (room for the reply). A chain the guest built wrongly
 * carries an {@code error} and no segments; it goes back to the guest used with length 0.
 *
 * <p>A queue worker serving chains one at a time parses each into the same instance, whose
 * segment views and arrays are then reused (see {@link SegmentList}); a chain handed to a pool is
 * a fresh instance that nothing else touches.
 */
public final class DescriptorChain {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    final SegmentList readableList = new SegmentList();
    final SegmentList writableList = new SegmentList();
    private int head;
    private ByteBuffer[] readable = NONE;
    private ByteBuffer[] writable = NONE;
    private long writableBytes;
    private String error;

    /** Starts refilling this chain for the chain at {@code head}. */
    void begin(int head) {
        this.head = head;
        clear(null);
    }

    /** Completes a well-formed chain whose segments were added. */
    DescriptorChain finish(long writableBytes) {
        this.writableBytes = writableBytes;
        readable = readableList.toArray();
        writable = writableList.toArray();
        return this;
    }

    /** Marks the chain unusable: no segments, returned used with length 0. */
    DescriptorChain fail(String error) {
        clear(error);
        return this;
    }

    /** No segments, and {@code error} (null while the chain is being parsed). */
    private void clear(String error) {
        readableList.clear();
        writableList.clear();
        readable = NONE;
        writable = NONE;
        writableBytes = 0;
        this.error = error;
    }

    /** The head descriptor index, which the used ring entry names. */
    public int head() {
        return head;
    }

    /** Device-readable segments in chain order (each a buffer's position..limit). */
    public ByteBuffer[] readable() {
        return readable;
    }

    /** Device-writable segments in chain order (each a buffer's position..limit). */
    public ByteBuffer[] writable() {
        return writable;
    }

    /** The total length of the writable segments: the most a reply may use. */
    public long writableBytes() {
        return writableBytes;
    }

    /** Why the chain is unusable, or null. */
    public String error() {
        return error;
    }

    /**
     * This chain in an instance of its own, valid while this one is reused for the next chains:
     * the same segments of guest memory, in views of its own.
     */
    DescriptorChain detached() {
        DescriptorChain copy = new DescriptorChain();
        copy.head = head;
        copy.readable = views(readable);
        copy.writable = views(writable);
        copy.writableBytes = writableBytes;
        copy.error = error;
        return copy;
    }

    private static ByteBuffer[] views(ByteBuffer[] segments) {
        ByteBuffer[] views = new ByteBuffer[segments.length];
        for (int i = 0; i < segments.length; i++) {
            views[i] = segments[i].duplicate().order(segments[i].order());
        }
        return views;
    }

    /** Clamps a handler's reply length into [0, writableBytes]. */
    public int usedLength(int written) {
        return (int) Math.max(0, Math.min(written, writableBytes));
    }
}

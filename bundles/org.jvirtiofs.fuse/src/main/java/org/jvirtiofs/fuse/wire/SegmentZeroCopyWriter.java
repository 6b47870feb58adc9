package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.ZeroCopyWriter;

/** READ reply memory lent to the provider as writable views of the transport's segments. */
public final class SegmentZeroCopyWriter implements ZeroCopyWriter {
    private final ReplyWriter writer;
    private int size;
    private int left;

    /** The writer of {@code writer}'s data, each lent by {@link #lend}. */
    SegmentZeroCopyWriter(ReplyWriter writer) {
        this.writer = writer;
    }

    /** Lends room for {@code size} bytes; returns this. */
    SegmentZeroCopyWriter lend(int size) {
        this.size = size;
        this.left = size;
        return this;
    }

    @Override
    public int remaining() {
        return left;
    }

    @Override
    public ByteBuffer[] buffers(int maxBytes) {
        return writer.views(lendable(maxBytes));
    }

    /** The transport's own duplicates, re-pointed: nothing is allocated once they exist. */
    @Override
    public ByteBuffer[] positionedBuffers(int maxBytes) {
        return writer.positionedViews(lendable(maxBytes));
    }

    private int lendable(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative maxBytes: " + maxBytes);
        }
        return Math.min(maxBytes, left);
    }

    /** Copies straight into the transport's memory: no view is lent, none is made. */
    @Override
    public int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), left);
        if (n == 0) {
            return 0;
        }
        writer.copyFrom(src, n);
        src.position(src.position() + n);
        left -= n;
        return n;
    }

    @Override
    public void commit(int bytes) {
        if (bytes < 0 || bytes > left) {
            throw new IllegalArgumentException("commit " + bytes + " of " + left);
        }
        writer.skip(bytes);
        left -= bytes;
    }

    /** Bytes committed so far: what the reply will carry. */
    public int committed() {
        return size - left;
    }
}

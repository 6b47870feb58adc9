package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.ZeroCopyReader;

/** A request's payload lent to the provider as read-only views of the transport memory. */
public final class SegmentZeroCopyReader implements ZeroCopyReader {
    private final RequestReader reader;
    private int left;

    /** The reader of {@code reader}'s payloads, each lent by {@link #lend}. */
    SegmentZeroCopyReader(RequestReader reader) {
        this.reader = reader;
    }

    /** Lends the next {@code size} bytes; returns this. */
    SegmentZeroCopyReader lend(int size) {
        this.left = size;
        return this;
    }

    @Override
    public int remaining() {
        return left;
    }

    @Override
    public ByteBuffer[] buffers(int maxBytes) {
        return reader.views(lendable(maxBytes));
    }

    /** The transport's own duplicates, re-pointed: nothing is allocated once they exist. */
    @Override
    public ByteBuffer[] positionedBuffers(int maxBytes) {
        return reader.positionedViews(lendable(maxBytes));
    }

    private int lendable(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative maxBytes: " + maxBytes);
        }
        return Math.min(maxBytes, left);
    }

    /** Copies straight from the transport's memory: no view is lent, none is made. */
    @Override
    public int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), left);
        if (n == 0) {
            return 0;
        }
        reader.copyTo(dst, n);
        dst.position(dst.position() + n);
        left -= n;
        return n;
    }

    @Override
    public void consume(int bytes) {
        if (bytes < 0 || bytes > left) {
            throw new IllegalArgumentException("consume " + bytes + " of " + left);
        }
        reader.consume(bytes);
        left -= bytes;
    }
}

package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.ZeroCopyReader;

/** A request's payload lent to the provider as read-only views of the transport memory. */
public final class SegmentZeroCopyReader implements ZeroCopyReader {
    private final RequestReader reader;
    private int left;

    SegmentZeroCopyReader(RequestReader reader, int size) {
        this.reader = reader;
        this.left = size;
    }

    @Override
    public int remaining() {
        return left;
    }

    @Override
    public ByteBuffer[] buffers(int maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative maxBytes: " + maxBytes);
        }
        return reader.views(Math.min(maxBytes, left));
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

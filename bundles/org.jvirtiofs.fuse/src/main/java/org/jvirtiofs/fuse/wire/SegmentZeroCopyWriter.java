package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.ZeroCopyWriter;

/** READ reply memory lent to the provider as writable views of the transport's segments. */
public final class SegmentZeroCopyWriter implements ZeroCopyWriter {
    private final ReplyWriter writer;
    private final int size;
    private int left;

    SegmentZeroCopyWriter(ReplyWriter writer, int size) {
        this.writer = writer;
        this.size = size;
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
        return writer.views(Math.min(maxBytes, left));
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

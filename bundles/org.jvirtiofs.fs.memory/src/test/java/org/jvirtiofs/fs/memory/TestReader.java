package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.ZeroCopyReader;

/** A write payload for tests, in direct memory handed out in segments like guest pages. */
final class TestReader implements ZeroCopyReader {
    private final ByteBuffer memory;
    private int consumed;

    TestReader(byte[] data) {
        memory = ByteBuffer.allocateDirect(data.length).put(data).flip();
    }

    @Override
    public int remaining() {
        return memory.capacity() - consumed;
    }

    @Override
    public ByteBuffer[] buffers(int maxBytes) {
        ByteBuffer[] views = TestWriter.segments(memory, consumed,
                Math.min(maxBytes, remaining()));
        for (int i = 0; i < views.length; i++) {
            views[i] = views[i].asReadOnlyBuffer();
        }
        return views;
    }

    @Override
    public void consume(int bytes) {
        if (bytes < 0 || bytes > remaining()) {
            throw new IllegalArgumentException("consume " + bytes);
        }
        consumed += bytes;
    }
}

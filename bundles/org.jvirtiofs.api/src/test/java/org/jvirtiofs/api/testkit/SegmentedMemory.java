package org.jvirtiofs.api.testkit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;

/**
 * Transport memory for provider tests: direct buffers handed out in 1000-byte segments, like
 * scattered guest pages, behind the zero-copy interfaces a provider's READ and WRITE see.
 * Published in the api module's test-jar for every provider's tests.
 */
public final class SegmentedMemory {
    private static final int SEGMENT = 1000;

    private SegmentedMemory() {
    }

    /** Reply memory a READ fills. */
    public static final class Writer implements ZeroCopyWriter {
        private final ByteBuffer memory;
        private int committed;

        public Writer(int capacity) {
            memory = ByteBuffer.allocateDirect(capacity);
        }

        @Override
        public int remaining() {
            return memory.capacity() - committed;
        }

        @Override
        public ByteBuffer[] buffers(int maxBytes) {
            return segments(memory, committed, Math.min(maxBytes, remaining()));
        }

        @Override
        public void commit(int bytes) {
            if (bytes < 0 || bytes > remaining()) {
                throw new IllegalArgumentException("commit " + bytes);
            }
            committed += bytes;
        }

        /** The committed bytes. */
        public byte[] bytes() {
            byte[] out = new byte[committed];
            memory.duplicate().position(0).get(out);
            return out;
        }
    }

    /** A WRITE payload. */
    public static final class Reader implements ZeroCopyReader {
        private final ByteBuffer memory;
        private int consumed;

        public Reader(byte[] data) {
            memory = ByteBuffer.allocateDirect(data.length).put(data).flip();
        }

        @Override
        public int remaining() {
            return memory.capacity() - consumed;
        }

        @Override
        public ByteBuffer[] buffers(int maxBytes) {
            ByteBuffer[] views = segments(memory, consumed, Math.min(maxBytes, remaining()));
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

    static ByteBuffer[] segments(ByteBuffer memory, int from, int length) {
        List<ByteBuffer> out = new ArrayList<>();
        int at = from;
        while (at < from + length) {
            int n = Math.min(SEGMENT - at % SEGMENT, from + length - at);
            out.add(memory.duplicate().position(at).limit(at + n));
            at += n;
        }
        return out.toArray(ByteBuffer[]::new);
    }
}

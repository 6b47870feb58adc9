package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.api.ZeroCopyWriter;

/** Reply memory for tests: direct memory handed out in 1000-byte segments, like scattered pages. */
final class TestWriter implements ZeroCopyWriter {
    private static final int SEGMENT = 1000;

    private final ByteBuffer memory;
    private int committed;

    TestWriter(int capacity) {
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
    byte[] bytes() {
        byte[] out = new byte[committed];
        memory.duplicate().position(0).get(out);
        return out;
    }

    /** Views of {@code [from, from + length)} of {@code memory}, cut at segment boundaries. */
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

package org.jvirtiofs.fuse;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/** Splits bytes into direct-buffer segments the way a descriptor chain would. */
final class Segs {
    private Segs() {
    }

    /**
     * {@code data} cut at {@code cuts} (ascending offsets) into segments; each segment sits in
     * its own direct buffer between junk bytes, at a non-zero position, as guest memory would.
     */
    static ByteBuffer[] split(byte[] data, int... cuts) {
        ByteBuffer[] out = new ByteBuffer[cuts.length + 1];
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : data.length;
            ByteBuffer b = ByteBuffer.allocateDirect(to - from + 7);
            for (int j = 0; j < b.capacity(); j++) {
                b.put(j, (byte) 0xA5);
            }
            b.position(3).limit(3 + to - from);
            b.put(3, data, from, to - from);
            out[i] = b;
            from = to;
        }
        return out;
    }

    /** Empty writable segments of the given sizes. */
    static ByteBuffer[] writable(int... sizes) {
        ByteBuffer[] out = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            out[i] = ByteBuffer.allocateDirect(sizes[i] + 5).position(5);
        }
        return out;
    }

    /** The first {@code used} bytes across writable segments, in order. */
    static byte[] gather(ByteBuffer[] segs, int used) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuffer b : segs) {
            byte[] part = new byte[b.remaining()];
            b.get(b.position(), part);
            out.write(part, 0, part.length);
        }
        byte[] all = out.toByteArray();
        return java.util.Arrays.copyOf(all, used);
    }
}

package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The copying conveniences over transport memory made of several segments. */
class ZeroCopyTest {

    /** Transport memory as two segments, the way a descriptor chain hands it over. */
    private static final class Segments implements ZeroCopyWriter, ZeroCopyReader {
        final ByteBuffer[] segments;
        int index;

        Segments(ByteBuffer... segments) {
            this.segments = segments;
        }

        @Override
        public int remaining() {
            int n = 0;
            for (int i = index; i < segments.length; i++) {
                n += segments[i].remaining();
            }
            return n;
        }

        @Override
        public ByteBuffer[] buffers(int maxBytes) {
            int left = Math.min(maxBytes, remaining());
            List<ByteBuffer> views = new ArrayList<>();
            for (int i = index; i < segments.length && left > 0; i++) {
                ByteBuffer view = segments[i].duplicate();
                view.limit(view.position() + Math.min(left, view.remaining()));
                left -= view.remaining();
                views.add(view);
            }
            return views.toArray(new ByteBuffer[0]);
        }

        /** Both interfaces default it to buffers(): a class implementing both must say so. */
        @Override
        public ByteBuffer[] positionedBuffers(int maxBytes) {
            return buffers(maxBytes);
        }

        @Override
        public void commit(int bytes) {
            consume(bytes);
        }

        @Override
        public void consume(int bytes) {
            while (bytes > 0) {
                ByteBuffer s = segments[index];
                int step = Math.min(bytes, s.remaining());
                s.position(s.position() + step);
                bytes -= step;
                if (!s.hasRemaining()) {
                    index++;
                }
            }
        }
    }

    @Test
    void writeCopiesAcrossSegmentsAndStopsWhenFull() {
        ByteBuffer a = ByteBuffer.allocateDirect(3);
        ByteBuffer b = ByteBuffer.allocateDirect(4);
        ZeroCopyWriter reply = new Segments(a, b);
        ByteBuffer src = ByteBuffer.wrap("hello, world".getBytes(StandardCharsets.US_ASCII));

        assertEquals(7, reply.write(src));
        assertEquals(7, src.position());
        assertEquals(0, reply.remaining());
        assertEquals(0, reply.write(src));
        assertEquals("hel", ascii(a.flip()));
        assertEquals("lo, ", ascii(b.flip()));
    }

    @Test
    void readDrainsPayloadAcrossSegments() {
        ByteBuffer a = ByteBuffer.wrap("pay".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.wrap("load".getBytes(StandardCharsets.US_ASCII));
        ZeroCopyReader payload = new Segments(a, b);
        ByteBuffer dst = ByteBuffer.allocate(5);

        assertEquals(5, payload.read(dst));
        assertEquals(2, payload.remaining());
        assertEquals("paylo", ascii(dst.flip()));
        dst.clear();
        assertEquals(2, payload.read(dst));
        assertEquals(0, payload.read(dst.clear()));
    }

    private static String ascii(ByteBuffer buf) {
        byte[] b = new byte[buf.remaining()];
        buf.get(b);
        return new String(b, StandardCharsets.US_ASCII);
    }
}

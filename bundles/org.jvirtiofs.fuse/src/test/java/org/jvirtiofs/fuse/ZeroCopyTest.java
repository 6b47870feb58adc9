package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.OptionalLong;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.junit.jupiter.api.Test;

class ZeroCopyTest {

    @Test
    void readProviderWritesStraightIntoCallerSegments() {
        ByteBuffer[] out = Segs.writable(20, 8, 100);
        RecordingFs fs = new RecordingFs() {
            @Override
            public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags) {
                ByteBuffer[] views = dst.buffers(size);
                assertEquals(3, views.length);
                assertEquals(4, views[0].remaining(), "20 - 16 header bytes");
                assertEquals(8, views[1].remaining());
                assertEquals(size - 12, views[2].remaining());
                for (ByteBuffer v : views) {
                    assertTrue(v.isDirect(), "a view of transport memory, not a heap copy");
                    assertFalse(v.isReadOnly());
                }
                views[0].put(0, (byte) 'A');
                views[1].put(7, (byte) 'B');
                views[2].put(0, (byte) 'C');
                // visible in the caller's buffer at once: the view IS that memory
                assertEquals('B', out[1].get(out[1].position() + 7));
                dst.commit(13);
                return 13;
            }
        };
        Harness h = Harness.initialized(fs);
        int used = h.session.handle(read50(), out);
        assertEquals(16 + 13, used);
        assertEquals('A', out[0].get(out[0].position() + 16));
        assertEquals('C', out[2].get(out[2].position()));
    }

    @Test
    void writeProviderReadsViewsOfCallerMemory() {
        ByteBuffer[] in = tenByteWrite();
        RecordingFs fs = new RecordingFs() {
            @Override
            public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
                ByteBuffer[] views = src.buffers(size);
                assertEquals(2, views.length);
                assertEquals(4, views[0].remaining());
                assertEquals(6, views[1].remaining());
                for (ByteBuffer v : views) {
                    assertTrue(v.isDirect());
                    assertTrue(v.isReadOnly(), "the provider may not scribble on guest memory");
                }
                // change the caller's memory under the view: the view shows it, so no copy
                in[2].put(in[2].position(), (byte) 'X');
                assertEquals('X', views[1].get(views[1].position()));
                assertEquals('0', views[0].get(views[0].position()));
                src.consume(7);
                assertEquals(3, src.remaining());
                ByteBuffer rest = src.buffers(100)[0];
                assertEquals('7', rest.get(rest.position()));
                return 7;
            }
        };
        Harness h = Harness.initialized(fs);
        ByteBuffer[] out = Segs.writable(64);
        int used = h.session.handle(in, out);
        assertEquals(24, used);
        assertEquals(7, out[0].getInt(out[0].position() + 16) >>> 24, "LE size 7 read BE");
    }

    @Test
    void writeCopiesAcrossSegmentsWithoutLendingViews() {
        ByteBuffer[] out = Segs.writable(20, 8, 100);
        RecordingFs fs = new RecordingFs() {
            @Override
            public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags) {
                // 14 bytes from position 2: 4 end the first segment, 8 fill the second, 2 start the third
                ByteBuffer src = ByteBuffer.wrap("..ABCDEFGHIJKLMN..".getBytes()).position(2).limit(16);
                assertEquals(14, dst.write(src));
                assertEquals(16, src.position(), "the source advances by what was copied");
                assertEquals(size - 14, dst.remaining());
                // more than fits: only what remains is taken
                ByteBuffer big = ByteBuffer.allocate(size);
                assertEquals(size - 14, dst.write(big));
                assertEquals(size - 14, big.position());
                assertEquals(0, dst.write(ByteBuffer.allocate(1)), "the reply is full");
                return size;
            }
        };
        Harness h = Harness.initialized(fs);
        int used = h.session.handle(read50(), out);
        assertEquals(16 + 50, used);
        assertEquals("ABCD", text(out[0], 16, 4));
        assertEquals("EFGHIJKL", text(out[1], 0, 8));
        assertEquals("MN", text(out[2], 0, 2));
        assertEquals(0, out[2].get(out[2].position() + 2), "the second write followed on");
    }

    @Test
    void readCopiesAcrossSegmentsWithoutLendingViews() {
        ByteBuffer[] in = tenByteWrite();
        RecordingFs fs = new RecordingFs() {
            @Override
            public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
                src.consume(1);
                // from position 3, 6 bytes: 3 from the first segment, 3 from the second
                ByteBuffer dst = ByteBuffer.allocate(12).position(3).limit(9);
                assertEquals(6, src.read(dst));
                assertEquals(9, dst.position());
                assertEquals("123456", new String(dst.array(), 3, 6));
                assertEquals(3, src.remaining());
                ByteBuffer rest = ByteBuffer.allocate(8);
                assertEquals(3, src.read(rest));
                assertEquals("789", new String(rest.array(), 0, 3));
                assertEquals(0, src.read(rest), "nothing left");
                return 10;
            }
        };
        Harness h = Harness.initialized(fs);
        int used = h.session.handle(in, Segs.writable(64));
        assertEquals(24, used);
    }

    @Test
    void positionedBuffersAreTheSegmentsInPlaceReusedFromCallToCall() {
        ByteBuffer[] out = Segs.writable(20, 8, 100);
        RecordingFs fs = new RecordingFs() {
            @Override
            public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags) {
                ByteBuffer[] first = dst.positionedBuffers(14);
                assertEquals(3, first.length);
                assertEquals(4, first[0].remaining(), "20 - 16 header bytes");
                assertEquals(out[0].position() + 16, first[0].position(), "in place: index 0 is not the reply's");
                assertEquals(8, first[1].remaining());
                assertEquals(2, first[2].remaining());
                for (ByteBuffer v : first) {
                    assertTrue(v.isDirect());
                    assertFalse(v.isReadOnly());
                }
                // relative puts, as preadv fills them: the bytes land in the caller's segments
                first[0].put("ABCD".getBytes());
                first[1].put("EFGHIJKL".getBytes());
                first[2].put("MN".getBytes());
                dst.commit(14);
                ByteBuffer[] second = dst.positionedBuffers(100);
                assertEquals(1, second.length);
                assertSame(first[2], second[0], "the same view, re-pointed past what was committed");
                assertEquals(out[2].position() + 2, second[0].position());
                assertEquals(size - 14, second[0].remaining());
                second[0].put((byte) 'O');
                dst.commit(1);
                return 15;
            }
        };
        Harness h = Harness.initialized(fs);
        int used = h.session.handle(read50(), out);
        assertEquals(16 + 15, used);
        assertEquals("ABCD", text(out[0], 16, 4));
        assertEquals("EFGHIJKL", text(out[1], 0, 8));
        assertEquals("MNO", text(out[2], 0, 3));
        assertEquals(5, out[0].position(), "the transport's own buffers keep their positions");
    }

    @Test
    void positionedPayloadBuffersAreReadOnlyAndInPlace() {
        ByteBuffer[] in = tenByteWrite();
        RecordingFs fs = new RecordingFs() {
            @Override
            public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                    long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
                ByteBuffer[] views = src.positionedBuffers(size);
                assertEquals(2, views.length);
                assertTrue(views[0].isReadOnly() && views[1].isReadOnly(),
                        "the provider may not scribble on guest memory");
                assertEquals(4, views[0].remaining());
                assertEquals(6, views[1].remaining());
                assertEquals(in[1].position() + 40, views[0].position());
                byte[] got = new byte[10];
                views[0].get(got, 0, 4);
                views[1].get(got, 4, 6);
                assertEquals("0123456789", new String(got));
                src.consume(10);
                assertEquals(0, src.positionedBuffers(10).length, "nothing left");
                return 10;
            }
        };
        Harness h = Harness.initialized(fs);
        assertEquals(24, h.session.handle(in, Segs.writable(64)));
    }

    /** A READ of 50 bytes at offset 0, in one segment. */
    private static ByteBuffer[] read50() {
        return Segs.split(FileOpsTest.read(0, 50, 0).bytes(31));
    }

    /** A WRITE of "0123456789": 80 bytes of header and arguments, the payload split at byte 84. */
    private static ByteBuffer[] tenByteWrite() {
        byte[] req = Req.of(FUSE_WRITE, 3).u64(77).u64(0).u32(10).u32(0).u64(0).u32(0).u32(0)
                .raw("0123456789").bytes(32);
        return Segs.split(req, 40, 84);
    }

    private static String text(ByteBuffer b, int from, int n) {
        byte[] bytes = new byte[n];
        b.get(b.position() + from, bytes);
        return new String(bytes);
    }
}

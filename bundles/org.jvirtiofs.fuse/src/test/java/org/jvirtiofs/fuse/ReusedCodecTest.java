package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.FUSE_GETATTR;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.OptionalLong;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.junit.jupiter.api.Test;

/**
 * A thread serving one request after another reuses its reader, writer, header and request, and
 * reads little-endian segments (vhost-user's) in place: each request must still be decoded from
 * its own bytes only, and the caller's buffers left as they were.
 */
class ReusedCodecTest {

    @Test
    void consecutiveRequestsInLittleEndianSegmentsAreEachDecodedFromTheirOwnBytes() {
        AttrOpsTest.AttrFs fs = new AttrOpsTest.AttrFs() {
            @Override
            public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) {
                AttrReply reply = super.getattr(ctx, nodeId, handle);
                record("getattr", nodeId, handle, ctx);
                return reply;
            }
        };
        Harness h = Harness.initialized(fs);
        int[][] cuts = {{}, {20}, {40, 44}, {3, 41, 47}, {}};
        for (int i = 0; i < cuts.length; i++) {
            long fh = 1000L * i + 7;
            int flags = i % 2 == 0 ? FuseConstants.FUSE_GETATTR_FH : 0;
            long unique = h.nextUnique();
            byte[] request = Req.of(FUSE_GETATTR, 9 + i).u32(flags).u32(0).u64(fh).bytes(unique);
            ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 2000 + i); // uid
            ByteBuffer[] in = littleEndian(Segs.split(request, cuts[i]));
            ByteBuffer[] out = littleEndian(Segs.writable(16, 3, 200));
            int[] positions = positionsAndLimits(in, out);

            int used = h.session.handle(in, out);

            Reply reply = new Reply(used, Segs.gather(out, used));
            reply.assertOk(unique, 104);
            Object[] call = fs.last();
            assertEquals(9L + i, call[1], "node of request " + i);
            assertEquals(flags != 0 ? OptionalLong.of(fh) : OptionalLong.empty(), call[2], "handle of request " + i);
            assertEquals(new Context(2000 + i, Req.GID, Req.PID), call[3], "caller of request " + i);
            assertEquals(java.util.Arrays.toString(positions), java.util.Arrays.toString(positionsAndLimits(in, out)),
                    "the caller's positions and limits");
        }
    }

    @Test
    void aProviderThatServesARequestFromInsideAnotherDoesNotDisturbIt() {
        Harness[] session = new Harness[1];
        long[] innerUnique = new long[1];
        Reply[] inner = new Reply[1];
        AttrOpsTest.AttrFs fs = new AttrOpsTest.AttrFs() {
            @Override
            public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) {
                if (nodeId == 9) {
                    innerUnique[0] = session[0].nextUnique();
                    ByteBuffer[] out = littleEndian(Segs.writable(200));
                    int used = session[0].session.handle(littleEndian(Segs.split(
                            Req.of(FUSE_GETATTR, 10).u32(0).u32(0).u64(0).bytes(innerUnique[0]), 10)), out);
                    inner[0] = new Reply(used, Segs.gather(out, used));
                }
                record("getattr", nodeId, handle);
                return new AttrReply(RecordingFs.ATTR, Duration.ofSeconds(nodeId));
            }
        };
        session[0] = Harness.initialized(fs);
        long unique = session[0].nextUnique();
        ByteBuffer[] out = littleEndian(Segs.writable(50, 200));
        int used = session[0].session.handle(littleEndian(Segs.split(
                Req.of(FUSE_GETATTR, 9).u32(FuseConstants.FUSE_GETATTR_FH).u32(0).u64(77).bytes(unique), 30)), out);

        Reply outer = new Reply(used, Segs.gather(out, used));
        outer.assertOk(unique, 104);
        assertEquals(9, outer.payload().getLong(0), "attr_valid of node 9");
        assertEquals(OptionalLong.of(77), fs.last()[2], "the outer request's handle, read after the inner one");
        inner[0].assertOk(innerUnique[0], 104);
        assertEquals(10, inner[0].payload().getLong(0), "attr_valid of node 10");
    }

    @Test
    void writePayloadsInOneReusedTransportBufferAreReadAtEachRequestsOwnPlace() {
        java.util.List<String> written = new java.util.ArrayList<>();
        RecordingFs fs = new RecordingFs() {
            @Override
            public int write(Context ctx, long nodeId, long handle, org.jvirtiofs.api.ZeroCopyReader src, int size,
                    long offset, OptionalLong lockOwner, org.jvirtiofs.api.OpenFlags flags, int writeFlags) {
                ByteBuffer copy = ByteBuffer.allocate(size);
                src.read(copy);
                written.add(new String(copy.array(), java.nio.charset.StandardCharsets.US_ASCII));
                return size;
            }
        };
        Harness h = Harness.initialized(fs);
        // as vhost-user hands them: the same buffer object, re-pointed at each request's bytes
        ByteBuffer window = ByteBuffer.allocateDirect(8192).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer reply = ByteBuffer.allocateDirect(64).order(ByteOrder.LITTLE_ENDIAN);
        int[] places = {100, 3000, 20, 5000};
        String[] payloads = {"short", "a longer payload, further in", "x".repeat(900), "last"};
        for (int i = 0; i < places.length; i++) {
            long unique = h.nextUnique();
            byte[] request = Req.of(FuseOpcode.FUSE_WRITE, 3).u64(77).u64(0).u32(payloads[i].length()).u32(0).u64(0)
                    .u32(0).u32(0).raw(payloads[i].getBytes(java.nio.charset.StandardCharsets.US_ASCII)).bytes(unique);
            window.clear();
            window.put(places[i], request);
            window.limit(places[i] + request.length).position(places[i]);
            reply.clear();

            int used = h.session.handle(new ByteBuffer[] {window}, new ByteBuffer[] {reply});

            new Reply(used, Segs.gather(new ByteBuffer[] {reply}, used)).assertOk(unique, 8);
            assertEquals(payloads[i], written.get(i), "payload of request " + i);
        }
    }

    private static ByteBuffer[] littleEndian(ByteBuffer[] segments) {
        for (ByteBuffer b : segments) {
            b.order(ByteOrder.LITTLE_ENDIAN);
        }
        return segments;
    }

    private static int[] positionsAndLimits(ByteBuffer[] in, ByteBuffer[] out) {
        int[] all = new int[2 * (in.length + out.length)];
        int i = 0;
        for (ByteBuffer[] side : new ByteBuffer[][] {in, out}) {
            for (ByteBuffer b : side) {
                all[i++] = b.position();
                all[i++] = b.limit();
            }
        }
        return all;
    }
}

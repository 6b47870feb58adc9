package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.OpenFlags;
import org.junit.jupiter.api.Test;

class SegmentationTest {

    /** Every provider this test touches, recording what it decoded. */
    static class AllFs extends FileOpsTest.FileFs {
        @Override
        public Entry lookup(Context ctx, long parent, FileName name) {
            record("lookup", parent, name);
            return ENTRY;
        }

        @Override
        public void rename(Context ctx, long oldParent, FileName oldName, long newParent,
                FileName newName, int flags) {
            record("rename", oldParent, oldName, newParent, newName, flags);
        }

        @Override
        public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags,
                int extFlags) {
            record("setxattr", nodeId, name, new String(value, StandardCharsets.UTF_8));
        }
    }

    private final AllFs fs = new AllFs();
    private final Harness h = Harness.initialized(fs);

    private List<byte[]> requests() {
        return List.of(
                Req.of(FUSE_LOOKUP, 1).str("a-name-of-some-length").bytes(11),
                Req.of(FUSE_WRITE, 3).u64(77).u64(0).u32(13).u32(0).u64(0).u32(0).u32(0)
                        .raw("payload bytes").bytes(12),
                Req.of(FUSE_SETXATTR, 5).u32(4).u32(0).str("user.x").raw("vvvv").bytes(13),
                Req.of(FUSE_RENAME, 2).u64(3).str("old").str("new").bytes(14),
                Req.of(FUSE_SETATTR, 9).u32(0x3F).u32(0).u64(1).u64(2).u64(3).u64(4).u64(5)
                        .u64(6).u32(7).u32(8).u32(9).u32(10).u32(0).u32(11).u32(12).u32(0)
                        .bytes(15));
    }

    /** The reply and what the provider saw, for one segmentation of a request. */
    private String run(ByteBuffer[] readable) {
        ByteBuffer[] out = Segs.writable(4096);
        int used = h.session.handle(readable, out);
        return Arrays.toString(Segs.gather(out, used)) + Arrays.deepToString(fs.last())
                + fs.written;
    }

    @Test
    void requestSplitAtEveryByteIntoTwoSegmentsGivesSameReply() {
        for (byte[] req : requests()) {
            String expected = run(Segs.split(req));
            for (int i = 0; i <= req.length; i++) {
                assertEquals(expected, run(Segs.split(req, i)), "cut at " + i);
            }
        }
    }

    @Test
    void requestSplitAtEveryPairOfBytesIntoThreeSegmentsGivesSameReply() {
        for (byte[] req : requests()) {
            String expected = run(Segs.split(req));
            for (int i = 0; i <= req.length; i++) {
                for (int j = i; j <= req.length; j++) {
                    assertEquals(expected, run(Segs.split(req, i, j)), "cuts " + i + "," + j);
                }
            }
        }
    }

    @Test
    void replySplitAtEveryByteAcrossWritableSegmentsGivesSameBytes() {
        byte[] req = Req.of(FUSE_LOOKUP, 1).str("x").bytes(21);
        ByteBuffer[] one = Segs.writable(144);
        byte[] expected = Segs.gather(one, h.session.handle(Segs.split(req), one));
        assertEquals(144, expected.length);
        for (int i = 0; i <= 144; i++) {
            for (int j = i; j <= 144; j += 7) {
                ByteBuffer[] out = Segs.writable(i, j - i, 144 - j);
                int used = h.session.handle(Segs.split(req), out);
                assertArrayEquals(expected, Segs.gather(out, used), "cuts " + i + "," + j);
            }
        }
    }

    @Test
    void readReplySpreadsOverSeveralWritableSegments() {
        byte[] req = FileOpsTest.read(0, 36, 0).bytes(22);
        ByteBuffer[] out = Segs.writable(10, 10, 3, 0, 40);
        int used = h.session.handle(Segs.split(req), out);
        assertEquals(16 + 36, used);
        byte[] reply = Segs.gather(out, used);
        assertEquals(52, ByteBuffer.wrap(reply).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0));
        assertArrayEquals(FileOpsTest.DATA, Arrays.copyOfRange(reply, 16, 52));
        // the provider's data landed in the caller's own buffers at the right offsets
        assertEquals('0', out[1].get(out[1].position() + 6));
        assertEquals('4', out[2].get(out[2].position()));
        assertEquals('7', out[4].get(out[4].position()));
        assertEquals(new OpenFlags(OpenFlags.O_NOATIME), fs.last()[6]);
    }

    @Test
    void callerBuffersKeepPositionLimitAndOrder() {
        byte[] req = FileOpsTest.read(0, 36, 0).bytes(23);
        ByteBuffer[] in = Segs.split(req, 17);
        ByteBuffer[] out = Segs.writable(30, 30);
        h.session.handle(in, out);
        assertEquals(3, in[0].position());
        assertEquals(20, in[0].limit());
        assertEquals(5, out[0].position());
        assertEquals(35, out[0].limit());
        assertEquals(java.nio.ByteOrder.BIG_ENDIAN, out[1].order());
    }
}

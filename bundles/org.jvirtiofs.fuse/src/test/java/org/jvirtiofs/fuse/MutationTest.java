package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.ZeroCopyReader;
import org.junit.jupiter.api.Test;

/**
 * Thousands of corrupted valid requests through one session: nothing escapes, every reply is
 * well-formed, and the session still answers correctly afterwards.
 */
class MutationTest {
    private static final int ROUNDS = 20_000;

    /** A provider that answers everything plausibly, and sometimes fails. */
    static class SaneFs extends SegmentationTest.AllFs {
        @Override
        public Set<FsCapability> init(Set<FsCapability> offered) {
            return EnumSet.allOf(FsCapability.class);
        }

        @Override
        public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle)
                throws FsException {
            if (nodeId % 5 == 0) {
                throw FsException.of(Errno.ENOENT);
            }
            return new AttrReply(ATTR, Duration.ofSeconds(1));
        }

        @Override
        public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid,
                OptionalLong handle) {
            return new AttrReply(ATTR, Duration.ZERO);
        }

        @Override
        public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
            return src.read(ByteBuffer.allocate(src.remaining()));
        }

        @Override
        public void readdir(Context ctx, long nodeId, long handle, long offset, int size,
                DirEntrySink sink) {
            for (long i = Math.max(offset, 0); i < 50 && sink.add(new DirEntry(i + 10, i + 1,
                    FileMode.DT_REG, FileName.of("entry" + i))); i++) {
                // keep adding
            }
        }

        @Override
        public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size,
                DirEntryPlusSink sink) {
            for (long i = Math.max(offset, 0); i < 50; i++) {
                DirEntry d = new DirEntry(i + 10, i + 1, FileMode.DT_REG, FileName.of("e" + i));
                if (!sink.fits(d.name()) || !sink.add(d, ENTRY)) {
                    return;
                }
            }
        }

        @Override
        public byte[] getxattr(Context ctx, long nodeId, String name, int size) {
            return new byte[(int) (nodeId & 0xFF)];
        }
    }

    private static List<byte[]> corpus() {
        List<byte[]> c = new ArrayList<>();
        c.add(Harness.init61Request().bytes(1));
        c.add(Req.of(FUSE_LOOKUP, 1).str("hello").bytes(2));
        c.add(Req.of(FUSE_FORGET, 7).u64(1).bytes(3));
        c.add(Req.of(FUSE_BATCH_FORGET, 0).u32(2).u32(0).u64(7).u64(1).u64(8).u64(1).bytes(4));
        c.add(Req.of(FUSE_GETATTR, 1).u32(1).u32(0).u64(5).bytes(5));
        c.add(Req.of(FUSE_SETATTR, 9).u32(0xFFF).u32(0).zeros(80).bytes(6));
        c.add(Req.of(FUSE_MKNOD, 1).u32(0100644).u32(0).u32(022).u32(0).str("n").bytes(7));
        c.add(Req.of(FUSE_MKDIR, 1).u32(040755).u32(022).str("d").bytes(8));
        c.add(Req.of(FUSE_SYMLINK, 1).str("l").str("target").bytes(9));
        c.add(Req.of(FUSE_LINK, 1).u64(7).str("l2").bytes(10));
        c.add(Req.of(FUSE_RENAME2, 1).u64(2).u32(1).u32(0).str("a").str("b").bytes(11));
        c.add(Req.of(FUSE_OPEN, 7).u32(2).u32(0).bytes(12));
        c.add(Req.of(FUSE_CREATE, 1).u32(0101).u32(0644).u32(022).u32(0).str("c").bytes(13));
        c.add(FileOpsTest.read(0, 4096, 0).bytes(14));
        c.add(Req.of(FUSE_WRITE, 7).u64(1).u64(0).u32(16).u32(0).u64(0).u32(0).u32(0)
                .raw("sixteen bytes..!").bytes(15));
        c.add(Req.of(FUSE_SETXATTR, 7).u32(2).u32(0).u32(0).u32(0).str("user.a").raw("xy")
                .bytes(16));
        c.add(Req.of(FUSE_GETXATTR, 7).u32(64).u32(0).str("user.a").bytes(17));
        c.add(Req.of(FUSE_LISTXATTR, 7).u32(0).u32(0).bytes(18));
        c.add(DirOpsTest.readdirReq(FUSE_READDIR, 0, 4096).bytes(19));
        c.add(DirOpsTest.readdirReq(FUSE_READDIRPLUS, 0, 4096).bytes(20));
        c.add(LockOpsTest.lk(FUSE_SETLKW, 1).bytes(21));
        c.add(Req.of(FUSE_LSEEK, 7).u64(1).u64(5).u32(3).u32(0).bytes(22));
        c.add(Req.of(FUSE_COPY_FILE_RANGE, 7).u64(1).u64(2).u64(3).u64(4).u64(5).u64(6).u64(0)
                .bytes(23));
        c.add(Req.of(FUSE_RELEASE, 7).u64(1).u32(0).u32(3).u64(9).bytes(24));
        c.add(Req.of(FUSE_DESTROY, 0).bytes(25));
        c.add(Req.of(FUSE_INTERRUPT, 0).u64(9).bytes(26));
        return c;
    }

    @Test
    void corruptedRequestsNeverEscapeAndSessionStillWorks() {
        SaneFs fs = new SaneFs();
        Harness h = Harness.initialized(fs);
        List<byte[]> corpus = corpus();
        Random rnd = new Random(0x5EED_F00DL);
        for (int round = 0; round < ROUNDS; round++) {
            byte[] req = mutate(corpus.get(rnd.nextInt(corpus.size())).clone(), rnd);
            ByteBuffer[] in = randomSplit(req, rnd);
            int room = rnd.nextInt(8) == 0 ? rnd.nextInt(40) : 16 + rnd.nextInt(8192);
            ByteBuffer[] out = randomWritable(room, rnd);
            int used;
            try {
                used = h.session.handle(in, out);
            } catch (Throwable t) {
                throw new AssertionError("round " + round + " escaped", t);
            }
            assertTrue(used == 0 || (used >= 16 && used <= room), "round " + round);
            if (used > 0) {
                ByteBuffer reply = ByteBuffer.wrap(Segs.gather(out, used))
                        .order(ByteOrder.LITTLE_ENDIAN);
                assertEquals(used, reply.getInt(0), "out.len, round " + round);
                int error = reply.getInt(4);
                assertTrue(error <= 0 && error > -512, "out.error, round " + round);
                if (error != 0) {
                    assertEquals(16, used, "errors carry no payload, round " + round);
                }
            }
        }
        // After the storm: a fresh mount is served correctly.
        h.init61();
        Reply r = h.call(Req.of(FUSE_LOOKUP, 1).str("hello")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(Expect.entry(), r.payloadBytes());
        r = h.call(FileOpsTest.read(10, 4, 0)).assertOk(h.lastUnique(), 4);
        assertEquals("abcd", new String(r.payloadBytes()));
        r = h.call(Req.of(FUSE_WRITE, 7).u64(1).u64(0).u32(3).u32(0).u64(0).u32(0).u32(0)
                .raw("xyz")).assertOk(h.lastUnique(), 8);
        assertEquals(3, r.payload().getInt(0));
    }

    private static byte[] mutate(byte[] req, Random rnd) {
        ByteBuffer b = ByteBuffer.wrap(req).order(ByteOrder.LITTLE_ENDIAN);
        switch (rnd.nextInt(6)) {
            case 0 -> { // bit flips anywhere
                for (int i = rnd.nextInt(8) + 1; i > 0; i--) {
                    req[rnd.nextInt(req.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> { // truncation, in.len kept
                return Arrays.copyOf(req, rnd.nextInt(req.length));
            }
            case 2 -> b.putInt(0, rnd.nextBoolean() ? rnd.nextInt() : req.length
                    + rnd.nextInt(81) - 40); // in.len lies
            case 3 -> b.putInt(4, rnd.nextBoolean() ? rnd.nextInt(60) : rnd.nextInt()); // opcode
            case 4 -> { // argument fields overwritten with random words
                for (int i = rnd.nextInt(4) + 1; i > 0 && req.length > 44; i--) {
                    b.putInt(40 + rnd.nextInt(req.length - 43), rnd.nextInt());
                }
            }
            default -> { // random tail appended, in.len covering it
                byte[] longer = Arrays.copyOf(req, req.length + rnd.nextInt(64));
                for (int i = req.length; i < longer.length; i++) {
                    longer[i] = (byte) rnd.nextInt();
                }
                ByteBuffer.wrap(longer).order(ByteOrder.LITTLE_ENDIAN).putInt(0, longer.length);
                return longer;
            }
        }
        return req;
    }

    private static ByteBuffer[] randomSplit(byte[] req, Random rnd) {
        int pieces = rnd.nextInt(3);
        int[] cuts = new int[pieces];
        for (int i = 0; i < pieces; i++) {
            cuts[i] = rnd.nextInt(req.length + 1);
        }
        Arrays.sort(cuts);
        return Segs.split(req, cuts);
    }

    private static ByteBuffer[] randomWritable(int room, Random rnd) {
        if (rnd.nextBoolean() || room < 2) {
            return Segs.writable(room);
        }
        int cut = rnd.nextInt(room);
        return Segs.writable(cut, room - cut);
    }
}

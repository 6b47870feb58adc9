package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.junit.jupiter.api.Test;

class FileOpsTest {
    static final byte[] DATA = "0123456789abcdefghijklmnopqrstuvwxyz".getBytes(StandardCharsets.UTF_8);

    static class FileFs extends RecordingFs {
        volatile String written;

        @Override
        public OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid) {
            record("open", nodeId, flags, killSuidgid);
            return new OpenReply(0x1234_5678_9ABCL, OpenReply.FOPEN_KEEP_CACHE);
        }

        @Override
        public CreateReply create(Context ctx, long parent, FileName name, int mode,
                OpenFlags flags, int umask, boolean killSuidgid) {
            record("create", parent, name, mode, flags, umask, killSuidgid);
            return new CreateReply(ENTRY, new OpenReply(55, OpenReply.FOPEN_DIRECT_IO));
        }

        @Override
        public CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags,
                int umask) {
            record("tmpfile", parent, mode, flags, umask);
            return new CreateReply(ENTRY, OpenReply.of(56));
        }

        @Override
        public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
                long offset, OptionalLong lockOwner, OpenFlags flags) {
            record("read", nodeId, handle, size, offset, lockOwner, flags);
            int from = (int) Math.min(offset, DATA.length);
            int n = Math.min(size, DATA.length - from);
            return dst.write(ByteBuffer.wrap(DATA, from, n));
        }

        @Override
        public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
            record("write", nodeId, handle, size, offset, lockOwner, flags, writeFlags);
            ByteBuffer b = ByteBuffer.allocate(src.remaining());
            src.read(b);
            written = new String(b.array(), StandardCharsets.UTF_8);
            return size;
        }

        @Override
        public void flush(Context ctx, long nodeId, long handle, long lockOwner) {
            record("flush", nodeId, handle, lockOwner);
        }

        @Override
        public void fsync(Context ctx, long nodeId, long handle, boolean datasync) {
            record("fsync", nodeId, handle, datasync);
        }

        @Override
        public void release(Context ctx, long nodeId, long handle, OpenFlags flags, boolean flush,
                boolean flockRelease, long lockOwner) {
            record("release", nodeId, handle, flags, flush, flockRelease, lockOwner);
        }

        @Override
        public void fallocate(Context ctx, long nodeId, long handle, int mode, long offset,
                long length) {
            record("fallocate", nodeId, handle, mode, offset, length);
        }

        @Override
        public long lseek(Context ctx, long nodeId, long handle, long offset, int whence)
                throws FsException {
            record("lseek", nodeId, handle, offset, whence);
            if (offset > 100) {
                throw FsException.of(Errno.ENXIO);
            }
            return offset + 10;
        }

        @Override
        public long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn,
                long nodeOut, long handleOut, long offsetOut, long length, long flags) {
            record("copy", nodeIn, handleIn, offsetIn, nodeOut, handleOut, offsetOut, length,
                    flags);
            return length;
        }

        @Override
        public void syncfs(Context ctx, long nodeId) {
            record("syncfs", nodeId);
        }
    }

    private final FileFs fs = new FileFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void openRepliesOpenOutAndPassesKillSuidgid() {
        Reply r = h.call(Req.of(FUSE_OPEN, 3).u32(OpenFlags.O_RDWR | OpenFlags.O_TRUNC)
                .u32(FuseConstants.FUSE_OPEN_KILL_SUIDGID)).assertOk(h.lastUnique(), 16);
        ByteBuffer p = r.payload();
        assertEquals(0x1234_5678_9ABCL, p.getLong(0));
        assertEquals(OpenReply.FOPEN_KEEP_CACHE, p.getInt(8));
        assertEquals(0, p.getInt(12));
        assertArrayEquals(new Object[] {"open", 3L,
            new OpenFlags(OpenFlags.O_RDWR | OpenFlags.O_TRUNC), true}, fs.last());
    }

    @Test
    void createRepliesEntryThenOpenOut() {
        Reply r = h.call(Req.of(FUSE_CREATE, 1).u32(OpenFlags.O_CREAT | OpenFlags.O_WRONLY)
                .u32(0100640).u32(022).u32(0).str("new")).assertOk(h.lastUnique(), 144);
        Expect.assertBytes(Expect.entry(), r.payload(), 0);
        assertEquals(55, r.payload().getLong(128));
        assertEquals(OpenReply.FOPEN_DIRECT_IO, r.payload().getInt(136));
        assertArrayEquals(new Object[] {"create", 1L, FileName.of("new"), 0100640,
            new OpenFlags(OpenFlags.O_CREAT | OpenFlags.O_WRONLY), 022, false}, fs.last());
    }

    @Test
    void tmpfileIgnoresThePlaceholderName() {
        Reply r = h.call(Req.of(FUSE_TMPFILE, 1).u32(OpenFlags.O_RDWR).u32(0100600).u32(022)
                .u32(0).str("/")).assertOk(h.lastUnique(), 144);
        assertEquals(56, r.payload().getLong(128));
        assertArrayEquals(new Object[] {"tmpfile", 1L, 0100600, new OpenFlags(OpenFlags.O_RDWR),
            022}, fs.last());
    }

    /** A provider that asks for no FLUSH on every open file. */
    static final class NoFlushFs extends FileFs {
        private static final int FLAGS = OpenReply.FOPEN_NOFLUSH | OpenReply.FOPEN_KEEP_CACHE;

        @Override
        public OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid) {
            return new OpenReply(1, FLAGS);
        }

        @Override
        public CreateReply create(Context ctx, long parent, FileName name, int mode,
                OpenFlags flags, int umask, boolean killSuidgid) {
            return new CreateReply(ENTRY, new OpenReply(2, FLAGS));
        }

        @Override
        public CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags, int umask) {
            return new CreateReply(ENTRY, new OpenReply(3, FLAGS));
        }
    }

    @Test
    void noFlushReachesTheKernelOnlyWhileItKeepsPosixLocksToItself() {
        for (boolean remoteLocks : new boolean[] {false, true}) {
            NoFlushFs provider = new NoFlushFs();
            if (remoteLocks) {
                provider.wanted = java.util.Set.of(org.jvirtiofs.api.FsCapability.POSIX_LOCKS);
            }
            Harness session = Harness.initialized(provider);
            int expected = remoteLocks ? OpenReply.FOPEN_KEEP_CACHE
                    : OpenReply.FOPEN_NOFLUSH | OpenReply.FOPEN_KEEP_CACHE;
            Reply open = session.call(Req.of(FUSE_OPEN, 3).u32(OpenFlags.O_RDONLY).u32(0))
                    .assertOk(session.lastUnique(), 16);
            assertEquals(expected, open.payload().getInt(8), "OPEN, remote locks " + remoteLocks);
            Reply create = session.call(Req.of(FUSE_CREATE, 1).u32(OpenFlags.O_CREAT | OpenFlags.O_RDONLY)
                    .u32(0100640).u32(022).u32(0).str("new")).assertOk(session.lastUnique(), 144);
            assertEquals(expected, create.payload().getInt(136), "CREATE, remote locks " + remoteLocks);
            Reply tmpfile = session.call(Req.of(FUSE_TMPFILE, 1).u32(OpenFlags.O_RDWR).u32(0100600)
                    .u32(022).u32(0).str("/")).assertOk(session.lastUnique(), 144);
            assertEquals(expected, tmpfile.payload().getInt(136), "TMPFILE, remote locks " + remoteLocks);
        }
    }

    @Test
    void readRepliesDataAfterHeader() {
        Reply r = h.call(read(10, 8, 0)).assertOk(h.lastUnique(), 8);
        assertEquals("abcdefgh", new String(r.payloadBytes(), StandardCharsets.UTF_8));
        Object[] c = fs.last();
        assertEquals(OptionalLong.empty(), c[5]);
        assertEquals(new OpenFlags(OpenFlags.O_RDONLY | OpenFlags.O_NOATIME), c[6]);
    }

    @Test
    void readAtEndOfFileRepliesShort() {
        Reply r = h.call(read(30, 100, 0)).assertOk(h.lastUnique(), 6);
        assertEquals("uvwxyz", new String(r.payloadBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readWithLockOwnerFlagPassesOwner() {
        h.call(read(0, 1, FuseConstants.FUSE_READ_LOCKOWNER)).assertOk(h.lastUnique(), 1);
        assertEquals(OptionalLong.of(0xCAFE), fs.last()[5]);
    }

    @Test
    void readLargerThanWritableRoomIsClamped() {
        Reply r = h.call(read(0, 1 << 20, 0), 16 + 5).assertOk(h.lastUnique(), 5);
        assertEquals(5, fs.last()[3], "the provider is asked for what fits");
        assertEquals("01234", new String(r.payloadBytes(), StandardCharsets.UTF_8));
    }

    static Req read(long offset, int size, int readFlags) {
        return Req.of(FUSE_READ, 3).u64(77).u64(offset).u32(size).u32(readFlags).u64(0xCAFE)
                .u32(OpenFlags.O_NOATIME).u32(0);
    }

    @Test
    void writeHandsPayloadAndRepliesWriteOut() {
        Reply r = h.call(Req.of(FUSE_WRITE, 3).u64(77).u64(4096).u32(5)
                .u32(FuseFilesystem.FUSE_WRITE_LOCKOWNER).u64(0xBEEF).u32(OpenFlags.O_WRONLY).u32(0)
                .raw("hello")).assertOk(h.lastUnique(), 8);
        assertEquals(5, r.payload().getInt(0));
        assertEquals(0, r.payload().getInt(4));
        assertEquals("hello", fs.written);
        assertArrayEquals(new Object[] {"write", 3L, 77L, 5, 4096L, OptionalLong.of(0xBEEF),
            new OpenFlags(OpenFlags.O_WRONLY), FuseFilesystem.FUSE_WRITE_LOCKOWNER}, fs.last());
    }

    @Test
    void writeLargerThanMaxWriteIsEinval() {
        Harness small = new Harness(fs, SessionOptions.defaults().withMaxWrite(4096));
        small.init61();
        small.call(Req.of(FUSE_WRITE, 3).u64(77).u64(0).u32(4097).u32(0).u64(0).u32(0).u32(0)
                .zeros(4097)).assertError(small.lastUnique(), Errno.EINVAL);
        assertNull(fs.written);
    }

    @Test
    void writeSizeBeyondPayloadIsEinval() {
        h.call(Req.of(FUSE_WRITE, 3).u64(77).u64(0).u32(6).u32(0).u64(0).u32(0).u32(0)
                .raw("hello")).assertError(h.lastUnique(), Errno.EINVAL);
        assertNull(fs.written);
    }

    @Test
    void flushPassesLockOwner() {
        h.call(Req.of(FUSE_FLUSH, 3).u64(77).u32(0).u32(0).u64(0xF00D))
                .assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"flush", 3L, 77L, 0xF00DL}, fs.last());
    }

    @Test
    void fsyncDatasyncFlag() {
        h.call(Req.of(FUSE_FSYNC, 3).u64(77).u32(1).u32(0)).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"fsync", 3L, 77L, true}, fs.last());
        h.call(Req.of(FUSE_FSYNC, 3).u64(77).u32(0).u32(0)).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"fsync", 3L, 77L, false}, fs.last());
    }

    @Test
    void releaseDecodesFlushAndFlockFlags() {
        h.call(Req.of(FUSE_RELEASE, 3).u64(77).u32(OpenFlags.O_RDWR).u32(3).u64(0xD00D))
                .assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"release", 3L, 77L, new OpenFlags(OpenFlags.O_RDWR), true,
            true, 0xD00DL}, fs.last());
    }

    @Test
    void fallocatePassesModeAndRange() {
        h.call(Req.of(FUSE_FALLOCATE, 3).u64(77).u64(100).u64(200).u32(3).u32(0))
                .assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"fallocate", 3L, 77L, 3, 100L, 200L}, fs.last());
    }

    @Test
    void lseekRepliesOffsetOrEnxio() {
        Reply r = h.call(Req.of(FUSE_LSEEK, 3).u64(77).u64(40).u32(3).u32(0))
                .assertOk(h.lastUnique(), 8);
        assertEquals(50, r.payload().getLong(0));
        h.call(Req.of(FUSE_LSEEK, 3).u64(77).u64(400).u32(4).u32(0))
                .assertError(h.lastUnique(), Errno.ENXIO);
    }

    @Test
    void copyFileRangeRepliesCountAndClampsTo32Bits() {
        Reply r = h.call(Req.of(FUSE_COPY_FILE_RANGE, 3).u64(77).u64(1).u64(4).u64(88).u64(2)
                .u64(1000).u64(0)).assertOk(h.lastUnique(), 8);
        assertEquals(1000, r.payload().getInt(0));
        assertArrayEquals(new Object[] {"copy", 3L, 77L, 1L, 4L, 88L, 2L, 1000L, 0L}, fs.last());
        r = h.call(Req.of(FUSE_COPY_FILE_RANGE, 3).u64(77).u64(1).u64(4).u64(88).u64(2)
                .u64(1L << 40).u64(0)).assertOk(h.lastUnique(), 8);
        assertEquals(0xFFFF_FFFFL, fs.last()[7]);
        assertEquals(-1, r.payload().getInt(0));
    }

    @Test
    void syncfsCallsProvider() {
        h.call(Req.of(FUSE_SYNCFS, 1).u64(0)).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"syncfs", 1L}, fs.last());
    }

    @Test
    void ioctlIsEnottyAndPollIsEnosys() {
        h.call(Req.of(FUSE_IOCTL, 3).u64(77).u32(0).u32(0x5401).u64(0).u32(0).u32(0))
                .assertError(h.lastUnique(), Errno.ENOTTY);
        h.call(Req.of(FUSE_POLL, 3).u64(77).u64(0).u32(0).u32(1))
                .assertError(h.lastUnique(), Errno.ENOSYS);
    }

    @Test
    void unknownOpcodesAreEnosys() {
        for (int op : new int[] {7, 19, FUSE_BMAP, FUSE_SETUPMAPPING, FUSE_REMOVEMAPPING, 52,
            4096, -1}) {
            h.call(Req.of(op, 1).u64(0)).assertError(h.lastUnique(), Errno.ENOSYS);
        }
    }

    @Test
    void unimplementedProviderMethodIsEnosys() {
        Harness plain = Harness.initialized(new RecordingFs());
        plain.call(Req.of(FUSE_LOOKUP, 1).str("x")).assertError(plain.lastUnique(), Errno.ENOSYS);
    }

    @Test
    void interruptAndNotifyReplyGetNoReply() {
        assertEquals(0, h.call(Req.of(FUSE_INTERRUPT, 0).u64(5)).used());
        assertEquals(0, h.call(Req.of(FUSE_NOTIFY_REPLY, 0).u64(5)).used());
    }
}

package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.junit.jupiter.api.Test;

class DirOpsTest {
    static final List<DirEntry> LISTING = List.of(
            new DirEntry(1, 1, FileMode.DT_DIR, FileName.DOT),
            new DirEntry(1, 2, FileMode.DT_DIR, FileName.DOT_DOT),
            new DirEntry(42, 3, FileMode.DT_REG, FileName.of("file-with-long-name.txt")),
            new DirEntry(43, 4, FileMode.DT_LNK, FileName.of("12345678")));

    static class DirFs extends RecordingFs {
        volatile int accepted;
        volatile boolean failAfterFirst;

        @Override
        public OpenReply opendir(Context ctx, long nodeId, OpenFlags flags) {
            record("opendir", nodeId, flags);
            return new OpenReply(0xD1, OpenReply.FOPEN_CACHE_DIR);
        }

        @Override
        public void readdir(Context ctx, long nodeId, long handle, long offset, int size,
                DirEntrySink sink) throws FsException {
            record("readdir", nodeId, handle, offset, size);
            accepted = 0;
            for (DirEntry e : LISTING.subList((int) offset, LISTING.size())) {
                if (!sink.add(e)) {
                    return;
                }
                accepted++;
                if (failAfterFirst) {
                    throw FsException.of(Errno.EIO);
                }
            }
        }

        @Override
        public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size,
                DirEntryPlusSink sink) {
            record("readdirplus", nodeId, handle, offset, size);
            accepted = 0;
            for (DirEntry e : LISTING.subList((int) offset, LISTING.size())) {
                if (!sink.fits(e.name())) {
                    return;
                }
                Entry entry = e.name().isDotOrDotDot() ? Entry.negative(Duration.ZERO) : ENTRY;
                if (!sink.add(e, entry)) {
                    fail("fits() said yes, add() said no");
                }
                accepted++;
            }
        }

        @Override
        public void releasedir(Context ctx, long nodeId, long handle, OpenFlags flags) {
            record("releasedir", nodeId, handle, flags);
        }

        @Override
        public void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync) {
            record("fsyncdir", nodeId, handle, datasync);
        }
    }

    private final DirFs fs = new DirFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void opendirRepliesHandleAndCacheDir() {
        Reply r = h.call(Req.of(FUSE_OPENDIR, 1).u32(OpenFlags.O_DIRECTORY).u32(0))
                .assertOk(h.lastUnique(), 16);
        assertEquals(0xD1, r.payload().getLong(0));
        assertEquals(OpenReply.FOPEN_CACHE_DIR, r.payload().getInt(8));
    }

    @Test
    void readdirRepliesAlignedDirents() {
        // "." 24+1 -> 32, ".." 24+2 -> 32, 23-char name 24+23 -> 48, 8-char name 24+8 = 32
        Reply r = h.call(readdirReq(FUSE_READDIR, 0, 4096)).assertOk(h.lastUnique(), 144);
        ByteBuffer p = r.payload();
        assertDirent(p, 0, 1, 1, FileMode.DT_DIR, ".");
        assertDirent(p, 32, 1, 2, FileMode.DT_DIR, "..");
        assertDirent(p, 64, 42, 3, FileMode.DT_REG, "file-with-long-name.txt");
        assertEquals(0, p.get(64 + 24 + 23), "padding is zero");
        assertDirent(p, 112, 43, 4, FileMode.DT_LNK, "12345678");
        assertArrayEquals(new Object[] {"readdir", 1L, 0xD1L, 0L, 4096}, fs.last());
    }

    @Test
    void readdirStopsAtTheKernelsSize() {
        Reply r = h.call(readdirReq(FUSE_READDIR, 0, 64 + 47)).assertOk(h.lastUnique(), 64);
        assertEquals(2, fs.accepted);
        assertDirent(r.payload(), 32, 1, 2, FileMode.DT_DIR, "..");
    }

    @Test
    void readdirBudgetIsClampedToWritableRoom() {
        h.call(readdirReq(FUSE_READDIR, 2, 4096), 16 + 50).assertOk(h.lastUnique(), 48);
        assertEquals(50, fs.last()[4]);
    }

    @Test
    void readdirAtEndRepliesEmpty() {
        h.call(readdirReq(FUSE_READDIR, 4, 4096)).assertOk(h.lastUnique(), 0);
    }

    @Test
    void readdirProviderFailureDiscardsAddedEntries() {
        fs.failAfterFirst = true;
        h.call(readdirReq(FUSE_READDIR, 0, 4096)).assertError(h.lastUnique(), Errno.EIO);
    }

    @Test
    void readdirplusRepliesEntryThenDirent() {
        Reply r = h.call(readdirReq(FUSE_READDIRPLUS, 2, 4096)).assertOk(h.lastUnique(),
                128 + 48 + 128 + 32);
        ByteBuffer p = r.payload();
        Expect.assertBytes(Expect.entry(), p, 0);
        assertDirent(p, 128, 42, 3, FileMode.DT_REG, "file-with-long-name.txt");
        Expect.assertBytes(Expect.entry(), p, 176);
        assertDirent(p, 176 + 128, 43, 4, FileMode.DT_LNK, "12345678");
    }

    @Test
    void readdirplusFitsAnswersForTheRemainingBudget() {
        h.call(readdirReq(FUSE_READDIRPLUS, 0, 160 + 159)).assertOk(h.lastUnique(), 160);
        assertEquals(1, fs.accepted, "the second 160-byte record does not fit in 159");
    }

    @Test
    void releasedirAndFsyncdir() {
        h.call(Req.of(FUSE_RELEASEDIR, 1).u64(0xD1).u32(OpenFlags.O_DIRECTORY).u32(0).u64(0))
                .assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"releasedir", 1L, 0xD1L,
            new OpenFlags(OpenFlags.O_DIRECTORY)}, fs.last());
        h.call(Req.of(FUSE_FSYNCDIR, 1).u64(0xD1).u32(1).u32(0)).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"fsyncdir", 1L, 0xD1L, true}, fs.last());
    }

    static Req readdirReq(int opcode, long offset, int size) {
        return Req.of(opcode, 1).u64(0xD1).u64(offset).u32(size).u32(0).u64(0).u32(0).u32(0);
    }

    static void assertDirent(ByteBuffer p, int at, long ino, long off, int type, String name) {
        assertEquals(ino, p.getLong(at), "ino");
        assertEquals(off, p.getLong(at + 8), "off");
        assertEquals(name.length(), p.getInt(at + 16), "namelen");
        assertEquals(type, p.getInt(at + 20), "type");
        byte[] n = new byte[name.length()];
        p.get(at + 24, n);
        assertEquals(name, new String(n));
    }
}

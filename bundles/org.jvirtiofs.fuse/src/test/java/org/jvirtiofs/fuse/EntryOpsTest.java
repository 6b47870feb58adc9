package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.ForgetOne;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.junit.jupiter.api.Test;

class EntryOpsTest {

    /** Records entry-creating calls and answers {@link RecordingFs#ENTRY}. */
    static class EntryFs extends RecordingFs {
        @Override
        public Entry lookup(Context ctx, long parent, FileName name) throws FsException {
            record("lookup", ctx, parent, name);
            if (name.toString().equals("missing")) {
                throw FsException.of(Errno.ENOENT);
            }
            if (name.toString().equals("cached-miss")) {
                return Entry.negative(Duration.ofSeconds(30));
            }
            return ENTRY;
        }

        @Override
        public void forget(Context ctx, long nodeId, long nlookup) {
            record("forget", nodeId, nlookup);
        }

        @Override
        public void batchForget(Context ctx, List<ForgetOne> forgets) {
            record("batchForget", forgets);
        }

        @Override
        public Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask) {
            record("mknod", parent, name, mode, rdev, umask);
            return ENTRY;
        }

        @Override
        public Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask) {
            record("mkdir", parent, name, mode, umask);
            return ENTRY;
        }

        @Override
        public Entry symlink(Context ctx, long parent, FileName name, byte[] target) {
            record("symlink", parent, name, new String(target, StandardCharsets.UTF_8));
            return ENTRY;
        }

        @Override
        public Entry link(Context ctx, long nodeId, long newParent, FileName newName) {
            record("link", nodeId, newParent, newName);
            return ENTRY;
        }

        @Override
        public void unlink(Context ctx, long parent, FileName name) {
            record("unlink", parent, name);
        }

        @Override
        public void rmdir(Context ctx, long parent, FileName name) throws FsException {
            record("rmdir", parent, name);
            throw FsException.of(Errno.ENOTEMPTY);
        }

        @Override
        public void rename(Context ctx, long oldParent, FileName oldName, long newParent,
                FileName newName, int flags) {
            record("rename", oldParent, oldName, newParent, newName, flags);
        }

        @Override
        public byte[] readlink(Context ctx, long nodeId) {
            record("readlink", nodeId);
            return "../target/of/link".getBytes(StandardCharsets.UTF_8);
        }
    }

    private final EntryFs fs = new EntryFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void lookupRepliesEntryOutFieldForField() {
        Reply r = h.call(Req.of(FUSE_LOOKUP, 1).str("hello.txt")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(Expect.entry(), r.payloadBytes());
        Object[] c = fs.last();
        assertEquals(new Context(Req.UID, Req.GID, Req.PID), c[1]);
        assertEquals(1L, c[2]);
        assertEquals(FileName.of("hello.txt"), c[3]);
    }

    @Test
    void lookupOfMissingNameRepliesEnoent() {
        h.call(Req.of(FUSE_LOOKUP, 1).str("missing")).assertError(h.lastUnique(), Errno.ENOENT);
    }

    @Test
    void negativeEntryRepliesNodeZeroWithEntryTimeout() {
        Reply r = h.call(Req.of(FUSE_LOOKUP, 1).str("cached-miss")).assertOk(h.lastUnique(), 128);
        assertEquals(0, r.payload().getLong(0), "nodeid");
        assertEquals(30, r.payload().getLong(16), "entry_valid");
        assertEquals(0, r.payload().getLong(24), "attr_valid");
    }

    @Test
    void lookupOfNonUtf8NameKeepsItsBytes() {
        byte[] raw = {(byte) 0xff, (byte) 0xfe, 'x', 0};
        h.call(Req.of(FUSE_LOOKUP, 1).raw(raw)).assertOk(h.lastUnique(), 128);
        assertEquals(FileName.of(new byte[] {(byte) 0xff, (byte) 0xfe, 'x'}), fs.last()[3]);
    }

    @Test
    void forgetCallsProviderAndRepliesNothing() {
        assertEquals(0, h.call(Req.of(FUSE_FORGET, 7).u64(3), 0).used());
        assertArrayEquals(new Object[] {"forget", 7L, 3L}, fs.last());
    }

    @Test
    void batchForgetPassesEveryRecord() {
        Reply r = h.call(Req.of(FUSE_BATCH_FORGET, 0).u32(2).u32(0).u64(7).u64(1).u64(9).u64(4),
                0);
        assertEquals(0, r.used());
        assertEquals(List.of(new ForgetOne(7, 1), new ForgetOne(9, 4)), fs.last()[1]);
    }

    @Test
    void batchForgetWithCountBeyondPayloadForgetsNothing() {
        h.call(Req.of(FUSE_BATCH_FORGET, 0).u32(3).u32(0).u64(7).u64(1), 0);
        assertTrue(fs.calls.stream().noneMatch(c -> c[0].equals("batchForget")));
    }

    @Test
    void mknodDecodesModeRdevUmask() {
        Reply r = h.call(Req.of(FUSE_MKNOD, 1).u32(0020600).u32(0x0103).u32(022).u32(0)
                .str("dev")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(Expect.entry(), r.payloadBytes());
        assertArrayEquals(new Object[] {"mknod", 1L, FileName.of("dev"), 0020600, 0x0103, 022},
                fs.last());
    }

    @Test
    void mkdirDecodesModeAndUmask() {
        h.call(Req.of(FUSE_MKDIR, 5).u32(040755).u32(077).str("d")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(new Object[] {"mkdir", 5L, FileName.of("d"), 040755, 077}, fs.last());
    }

    @Test
    void symlinkPassesNameThenTarget() {
        h.call(Req.of(FUSE_SYMLINK, 1).str("ln").str("/etc/passwd")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(new Object[] {"symlink", 1L, FileName.of("ln"), "/etc/passwd"},
                fs.last());
    }

    @Test
    void linkGivesOldNodeANameInHeaderNode() {
        h.call(Req.of(FUSE_LINK, 4).u64(9).str("again")).assertOk(h.lastUnique(), 128);
        assertArrayEquals(new Object[] {"link", 9L, 4L, FileName.of("again")}, fs.last());
    }

    @Test
    void unlinkRepliesEmpty() {
        h.call(Req.of(FUSE_UNLINK, 3).str("f")).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"unlink", 3L, FileName.of("f")}, fs.last());
    }

    @Test
    void rmdirOfNonEmptyDirRepliesEnotempty() {
        h.call(Req.of(FUSE_RMDIR, 3).str("d")).assertError(h.lastUnique(), Errno.ENOTEMPTY);
    }

    @Test
    void renameHasNoFlags() {
        h.call(Req.of(FUSE_RENAME, 2).u64(3).str("a").str("b")).assertOk(h.lastUnique(), 0);
        assertArrayEquals(new Object[] {"rename", 2L, FileName.of("a"), 3L, FileName.of("b"), 0},
                fs.last());
    }

    @Test
    void rename2PassesFlags() {
        h.call(Req.of(FUSE_RENAME2, 2).u64(3).u32(FuseFilesystem.RENAME_EXCHANGE).u32(0)
                .str("a").str("b")).assertOk(h.lastUnique(), 0);
        assertEquals(FuseFilesystem.RENAME_EXCHANGE, fs.last()[5]);
    }

    @Test
    void rename2WithUnknownFlagsIsEinval() {
        h.call(Req.of(FUSE_RENAME2, 2).u64(3).u32(1 << 7).u32(0).str("a").str("b"))
                .assertError(h.lastUnique(), Errno.EINVAL);
        assertTrue(fs.calls.stream().noneMatch(c -> c[0].equals("rename")));
    }

    @Test
    void readlinkRepliesTargetWithoutNul() {
        Reply r = h.call(Req.of(FUSE_READLINK, 6)).assertOk(h.lastUnique(), 17);
        assertEquals("../target/of/link", new String(r.payloadBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void readlinkLongerThanReplyRoomIsErange() {
        h.call(Req.of(FUSE_READLINK, 6), 16 + 10).assertError(h.lastUnique(), Errno.ERANGE);
    }

    @Test
    void lookupWithoutRoomForEntryIsEioWithoutCallingProvider() {
        h.call(Req.of(FUSE_LOOKUP, 1).str("x"), 16 + 127).assertError(h.lastUnique(), Errno.EIO);
        assertTrue(fs.calls.stream().noneMatch(c -> c[0].equals("lookup")),
                "no lookup reference taken that the kernel would never receive");
    }
}

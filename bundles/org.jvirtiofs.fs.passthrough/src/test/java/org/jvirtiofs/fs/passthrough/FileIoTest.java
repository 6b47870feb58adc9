package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.jvirtiofs.fs.passthrough.TestShare.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.testkit.SegmentedMemory;

/** Open files: create, open flags, zero-copy read and write, space, seeking, copying, syncing. */
class FileIoTest {
    /** Read-only and writing opens, as FOPEN_NOFLUSH tells them apart. */
    private static final OpenFlags[] ALL_MODES = {TestShare.RDONLY,
        new OpenFlags(OpenFlags.O_RDONLY | OpenFlags.O_NOATIME), TestShare.RDWR, TestShare.WRONLY,
        new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_APPEND)};

    private TestShare t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    @Test
    void largeWritesAndReadsCrossEverySegment() throws Exception {
        t = new TestShare();
        byte[] data = new byte[3 * 1024 * 1024 + 17];
        new Random(1).nextBytes(data);
        CreateReply c = t.create(ROOT, "big");
        long n = c.entry().nodeId();
        long h = c.open().handle();
        assertEquals(data.length, t.fs.write(t.ctx, n, h, new SegmentedMemory.Reader(data), data.length, 0,
                OptionalLong.empty(), TestShare.RDWR, 0));
        assertArrayEquals(data, Files.readAllBytes(t.source.resolve("big")));
        SegmentedMemory.Writer w = new SegmentedMemory.Writer(data.length + 100);
        assertEquals(data.length, t.fs.read(t.ctx, n, h, w, data.length + 100, 0, OptionalLong.empty(), TestShare.RDWR));
        assertArrayEquals(data, w.bytes());
        assertEquals("", t.read(n, h, data.length + 5, 10), "past the end");
    }

    @Test
    void createHonoursExclusiveAndOpenRefusesNonFiles() throws Exception {
        t = new TestShare();
        t.createFile(ROOT, "f", "x");
        assertErrno(Errno.EEXIST, () -> t.fs.create(t.ctx, ROOT, name("f"), 0644,
                new OpenFlags(OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL), 0, false));
        Entry d = t.mkdir(ROOT, "d");
        assertErrno(Errno.EISDIR, () -> t.fs.open(t.ctx, d.nodeId(), TestShare.RDONLY, false));
        Entry fifo = t.fs.mknod(t.ctx, ROOT, name("p"), org.jvirtiofs.api.FileMode.S_IFIFO | 0644, 0, 0);
        assertErrno(Errno.EACCES, () -> t.fs.open(t.ctx, fifo.nodeId(), TestShare.RDONLY, false));
    }

    @Test
    void openWithTruncAndAppend() throws Exception {
        t = new TestShare();
        Entry f = t.createFile(ROOT, "f", "0123456789");
        long h = t.fs.open(t.ctx, f.nodeId(), new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_APPEND), false).handle();
        t.write(f.nodeId(), h, 0, "ab");
        assertEquals("0123456789ab", Files.readString(t.source.resolve("f")));
        t.fs.open(t.ctx, f.nodeId(), new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_TRUNC), false);
        assertEquals(0, Files.size(t.source.resolve("f")));
    }

    @Test
    void writebackWidensWriteOnlyOpensAndLeavesAppendToTheKernel() throws Exception {
        t = new TestShare(o -> new PassthroughOptions(o.source(), CacheMode.AUTO, true, false, true,
                o.uids(), o.gids(), false, InodeFileHandles.NEVER));
        assertTrue(t.fs.init(EnumSet.allOf(FsCapability.class)).contains(FsCapability.WRITEBACK_CACHE));
        Entry f = t.createFile(ROOT, "f", "0123456789");
        long h = t.fs.open(t.ctx, f.nodeId(), new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_APPEND), false).handle();
        assertEquals("0123", t.read(f.nodeId(), h, 0, 4), "the kernel reads through write-only opens");
        t.write(f.nodeId(), h, 2, "XY");
        assertEquals("01XY456789", Files.readString(t.source.resolve("f")), "no O_APPEND on the host");
    }

    @Test
    void cacheModesChooseTimeoutsAndOpenFlags() throws Exception {
        t = new TestShare(o -> o.withCache(CacheMode.NEVER));
        Entry f = t.createFile(ROOT, "f", "x");
        assertEquals(java.time.Duration.ZERO, f.entryTimeout());
        assertTrue(t.fs.open(t.ctx, f.nodeId(), TestShare.RDONLY, false).has(OpenReply.FOPEN_DIRECT_IO));
        t.close();
        t = new TestShare(o -> o.withCache(CacheMode.ALWAYS));
        f = t.createFile(ROOT, "f", "x");
        assertEquals(java.time.Duration.ofDays(1), f.attrTimeout());
        assertTrue(t.fs.open(t.ctx, f.nodeId(), TestShare.RDONLY, false).has(OpenReply.FOPEN_KEEP_CACHE));
        assertTrue(t.fs.opendir(t.ctx, ROOT, TestShare.RDONLY).has(OpenReply.FOPEN_CACHE_DIR));
    }

    @Test
    void autoKeepsTheGuestsPagesOnlyWhileTheFileIsUnchangedSinceTheyWereDropped() throws Exception {
        t = new TestShare(); // cache=auto is the default
        Path file = t.source.resolve("f");
        Files.writeString(file, "v1");
        FileTime written = Files.getLastModifiedTime(file);
        Entry f = t.lookup(ROOT, "f");
        assertFalse(keeps(f), "a file changed under 2 s ago is read afresh");
        assertFalse(keeps(f), "its stamp from the first open does not count");
        Thread.sleep(org.jvirtiofs.posix.DataStamp.SETTLE_NANOS / 1_000_000 + 100);
        assertFalse(keeps(f), "the first open with a settled stamp still drops the pages");
        assertTrue(keeps(f), "unchanged since then: the guest keeps its pages");
        assertTrue(keeps(f));
        assertEquals("v1", t.readAll(f.nodeId()));
        // a same-size rewrite with the old mtime put back changes only the ctime
        Files.writeString(file, "v2");
        Files.setLastModifiedTime(file, written);
        assertFalse(keeps(f), "a host change drops the pages");
        assertFalse(keeps(f), "and the change is too recent for the new stamp to count");
        assertEquals("v2", t.readAll(f.nodeId()));
        for (CacheMode mode : CacheMode.values()) {
            assertEquals(mode == CacheMode.AUTO, CachePolicy.of(mode, false).keepUnchanged(), mode.toString());
        }
    }

    @Test
    void everyOpenOfAFileOnALocalFileSystemAsksTheKernelNotToFlush() throws Exception {
        t = new TestShare(); // under target/, on ext4
        Entry f = t.createFile(ROOT, "f", "data");
        for (OpenFlags flags : ALL_MODES) {
            assertTrue(flushless(f, flags), flags + ": a close on ext4 reports nothing, writers' too");
        }
        assertTrue(t.create(ROOT, "made").open().has(OpenReply.FOPEN_NOFLUSH));
    }

    @Test
    void writersOfAFileWhoseCloseCanReportAnErrorAreFlushed() throws Exception {
        // the share's files are on a FUSE file system, whose close sends its own FLUSH
        try (MountedShare fuse = new MountedShare(o -> o)) {
            t = new TestShare(fuse.mnt, o -> o);
            Entry f = t.createFile(ROOT, "f", "data");
            for (OpenFlags flags : ALL_MODES) {
                boolean readOnly = (flags.bits() & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY;
                assertEquals(readOnly, flushless(f, flags),
                        flags + ": only a read-only duplicate's close reports nothing there");
            }
            assertFalse(t.create(ROOT, "made").open().has(OpenReply.FOPEN_NOFLUSH));
            t.close();
            t = null;
        }
    }

    @Test
    void autoWritesDirectFromAWriteOnlyOpenOfAFileTheGuestHasNoOtherHandleOn() throws Exception {
        t = new TestShare(o -> o.withDirectWrite(true)); // cache=auto is the default
        Entry f = t.createFile(ROOT, "f", "data");
        for (OpenFlags flags : ALL_MODES) {
            boolean writeOnly = (flags.bits() & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY;
            OpenReply open = t.fs.open(t.ctx, f.nodeId(), flags, false);
            assertEquals(writeOnly, open.has(OpenReply.FOPEN_DIRECT_IO),
                    flags + ": only a write-only open, which cannot be read or mapped, goes direct");
            t.fs.release(t.ctx, f.nodeId(), open.handle(), flags, false, false, 0);
        }
        OpenReply reader = t.fs.open(t.ctx, f.nodeId(), TestShare.RDONLY, false);
        OpenReply writer = t.fs.open(t.ctx, f.nodeId(), TestShare.WRONLY, false);
        assertFalse(writer.has(OpenReply.FOPEN_DIRECT_IO),
                "another handle (perhaps mapped) would keep pages a direct write leaves stale");
        t.fs.release(t.ctx, f.nodeId(), reader.handle(), TestShare.RDONLY, false, false, 0);
        OpenReply second = t.fs.open(t.ctx, f.nodeId(), TestShare.WRONLY, false);
        assertFalse(second.has(OpenReply.FOPEN_DIRECT_IO), "the first writer's handle still counts");
        t.fs.release(t.ctx, f.nodeId(), writer.handle(), TestShare.WRONLY, false, false, 0);
        t.fs.release(t.ctx, f.nodeId(), second.handle(), TestShare.WRONLY, false, false, 0);
        OpenReply alone = t.fs.open(t.ctx, f.nodeId(), TestShare.WRONLY, false);
        assertTrue(alone.has(OpenReply.FOPEN_DIRECT_IO), "every handle released: direct again");
        t.write(f.nodeId(), alone.handle(), 4, "+more");
        assertEquals("data+more", Files.readString(t.source.resolve("f")));
        t.fs.release(t.ctx, f.nodeId(), alone.handle(), TestShare.WRONLY, false, false, 0);
        CreateReply made = t.fs.create(t.ctx, ROOT, name("made"), 0644,
                new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_TRUNC), 022, false);
        assertTrue(made.open().has(OpenReply.FOPEN_DIRECT_IO), "a file created write-only, as tar and cp do");
        assertFalse(t.create(ROOT, "made-rw").open().has(OpenReply.FOPEN_DIRECT_IO));
    }

    @Test
    void writesStayInTheGuestsPageCacheWhereDirectWritesAreOffOrWouldDefeatTheMode() throws Exception {
        java.util.Map<String, UnaryOperator<PassthroughOptions>> cases = java.util.Map.of(
                "direct-write off, the default", o -> o,
                "cache=always, whose pages outlive the open",
                o -> o.withCache(CacheMode.ALWAYS).withZeroMessageOpen(false).withDirectWrite(true),
                "writeback, which caches writes in the guest", o -> new PassthroughOptions(o.source(),
                        CacheMode.AUTO, true, false, true, o.uids(), o.gids(), false, InodeFileHandles.NEVER)
                        .withDirectWrite(true));
        for (var c : cases.entrySet()) {
            t = new TestShare(c.getValue());
            Entry f = t.createFile(ROOT, "f", "data");
            assertFalse(t.fs.open(t.ctx, f.nodeId(), TestShare.WRONLY, false).has(OpenReply.FOPEN_DIRECT_IO), c.getKey());
            t.close();
            t = null;
        }
    }

    /** Opens {@code f} with {@code flags}, releases it, and says whether the reply had FOPEN_NOFLUSH. */
    private boolean flushless(Entry f, OpenFlags flags) throws Exception {
        OpenReply open = t.fs.open(t.ctx, f.nodeId(), flags, false);
        t.fs.release(t.ctx, f.nodeId(), open.handle(), flags, false, false, 0);
        return open.has(OpenReply.FOPEN_NOFLUSH);
    }

    /** Opens {@code f} read-only, releases it, and says whether the reply had KEEP_CACHE. */
    private boolean keeps(Entry f) throws Exception {
        OpenReply open = t.fs.open(t.ctx, f.nodeId(), TestShare.RDONLY, false);
        t.fs.release(t.ctx, f.nodeId(), open.handle(), TestShare.RDONLY, false, false, 0);
        return open.has(OpenReply.FOPEN_KEEP_CACHE);
    }

    @Test
    void fallocatePunchesHolesThatLseekFinds() throws Exception {
        t = new TestShare();
        CreateReply c = t.create(ROOT, "sparse");
        long n = c.entry().nodeId();
        long h = c.open().handle();
        t.fs.fallocate(t.ctx, n, h, 0, 0, 1 << 20);
        assertEquals(1 << 20, Files.size(t.source.resolve("sparse")));
        t.write(n, h, 0, "x".repeat(8192));
        t.fs.fallocate(t.ctx, n, h, FuseFilesystem.FALLOC_FL_PUNCH_HOLE | FuseFilesystem.FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
        t.write(n, h, 512 * 1024, "data");
        assertEquals(512 * 1024, t.fs.lseek(t.ctx, n, h, 0, FuseFilesystem.SEEK_DATA));
        assertEquals(0, t.fs.lseek(t.ctx, n, h, 0, FuseFilesystem.SEEK_HOLE));
        assertErrno(Errno.ENXIO, () -> t.fs.lseek(t.ctx, n, h, 2 << 20, FuseFilesystem.SEEK_DATA));
        assertErrno(Errno.EINVAL, () -> t.fs.lseek(t.ctx, n, h, 0, 0));
    }

    @Test
    void copyFileRangeCopiesBetweenHandles() throws Exception {
        t = new TestShare();
        CreateReply a = t.create(ROOT, "a");
        CreateReply b = t.create(ROOT, "b");
        t.write(a.entry().nodeId(), a.open().handle(), 0, "hello world");
        assertEquals(5, t.fs.copyFileRange(t.ctx, a.entry().nodeId(), a.open().handle(), 6,
                b.entry().nodeId(), b.open().handle(), 2, 5, 0));
        assertEquals("\0\0world", Files.readString(t.source.resolve("b")));
    }

    @Test
    void tmpfileIsUnnamedUntilLinked() throws Exception {
        t = new TestShare();
        CreateReply c = t.fs.tmpfile(t.ctx, ROOT, 0600, TestShare.RDWR, 022);
        t.write(c.entry().nodeId(), c.open().handle(), 0, "anon");
        assertEquals(java.util.List.of(".", ".."), t.list(ROOT).stream().sorted().toList());
        t.fs.link(t.ctx, c.entry().nodeId(), ROOT, name("named"));
        assertEquals("anon", Files.readString(t.source.resolve("named")));
    }

    @Test
    void flushFsyncAndReleaseCloseTheHandle() throws Exception {
        t = new TestShare();
        CreateReply c = t.create(ROOT, "f");
        long n = c.entry().nodeId();
        long h = c.open().handle();
        t.write(n, h, 0, "x");
        t.fs.fsync(t.ctx, n, h, false);
        t.fs.fsync(t.ctx, n, h, true);
        t.fs.flush(t.ctx, n, h, 99);
        t.fs.syncfs(t.ctx, ROOT);
        assertEquals(1, t.fs.handleCount());
        t.fs.release(t.ctx, n, h, TestShare.RDWR, true, false, 99);
        assertEquals(0, t.fs.handleCount());
        assertErrno(Errno.EBADF, () -> t.read(n, h, 0, 1));
    }
}

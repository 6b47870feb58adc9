package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.TestFs.RDONLY;
import static org.jvirtiofs.fs.memory.TestFs.RDWR;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.WRONLY;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.OptionalLong;
import java.util.Random;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.testkit.SegmentedMemory;

class ReadWriteTest {
    private final TestFs t = new TestFs();

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }

    @Test
    void writeThenReadReturnsTheBytesAcrossChunks() throws Exception {
        byte[] data = random(3 * FileData.CHUNK_SIZE + 123);
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        assertEquals(data.length, t.write(file, handle, 1000, data));
        assertArrayEquals(data, t.read(file, handle, 1000, data.length));
        assertEquals(1000 + data.length, t.attr(file).size());
    }

    @Test
    void readPastTheEndIsShortAndAtTheEndIsEmpty() throws Exception {
        long file = t.file("f", random(10));
        long handle = t.open(file, RDONLY);
        assertEquals(4, t.read(file, handle, 6, 100).length);
        assertEquals(0, t.read(file, handle, 10, 100).length);
        assertEquals(0, t.read(file, handle, 1 << 40, 100).length);
    }

    @Test
    void aHoleReadsAsZeros() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        t.write(file, handle, 200_000, new byte[] {7});
        byte[] head = t.read(file, handle, 0, 200_001);
        assertEquals(200_001, head.length);
        assertTrue(Arrays.equals(new byte[200_000], Arrays.copyOf(head, 200_000)));
        assertEquals(7, head[200_000]);
    }

    @Test
    void aSparseFileCostsOnlyItsWrittenChunks() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        t.write(file, handle, 1L << 40, new byte[] {1});
        Attr attr = t.attr(file);
        assertEquals((1L << 40) + 1, attr.size());
        assertEquals(FileData.CHUNK_SIZE / 512, attr.blocks());
    }

    @Test
    void writeBeyondSizeLimitThrowsEnospcAndWritesNothing() throws Exception {
        TestFs small = new TestFs(new MemoryOptions(2 * FileData.CHUNK_SIZE, 10, 0777, 0, 0,
                CacheMode.ALWAYS));
        long file = small.mknod(ROOT, "f").nodeId();
        long handle = small.open(file, RDWR);
        assertEquals(Errno.ENOSPC, errno(() -> small.write(file, handle, 0,
                new byte[2 * FileData.CHUNK_SIZE + 1])));
        assertEquals(0, small.attr(file).size());
        assertEquals(2 * FileData.CHUNK_SIZE,
                small.write(file, handle, 0, new byte[2 * FileData.CHUNK_SIZE]));
    }

    @Test
    void writeBeyondTheLargestFileSizeThrowsEfbig() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        assertEquals(Errno.EFBIG, errno(() -> t.write(file, handle, Long.MAX_VALUE - 1,
                new byte[10])));
    }

    @Test
    void aNegativeOffsetThrowsEinval() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        assertEquals(Errno.EINVAL, errno(() -> t.write(file, handle, -1, new byte[1])));
        assertEquals(Errno.EINVAL, errno(() -> t.read(file, handle, -1, 1)));
    }

    @Test
    void writeThroughAReadOnlyHandleThrowsEbadf() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDONLY);
        assertEquals(Errno.EBADF, errno(() -> t.write(file, handle, 0, new byte[1])));
    }

    @Test
    void readThroughAWriteOnlyHandleThrowsEbadf() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, WRONLY);
        assertEquals(Errno.EBADF, errno(() -> t.read(file, handle, 0, 1)));
    }

    @Test
    void aHandleOfAnotherNodeOrAClosedHandleThrowsEbadf() throws Exception {
        long a = t.mknod(ROOT, "a").nodeId();
        long b = t.mknod(ROOT, "b").nodeId();
        long handle = t.open(a, RDWR);
        assertEquals(Errno.EBADF, errno(() -> t.read(b, handle, 0, 1)));
        t.release(a, handle);
        assertEquals(Errno.EBADF, errno(() -> t.read(a, handle, 0, 1)));
    }

    @Test
    void appendWritesAtTheEndWhateverTheOffset() throws Exception {
        long file = t.file("f", new byte[] {1, 2, 3});
        OpenFlags append = new OpenFlags(OpenFlags.O_WRONLY | OpenFlags.O_APPEND);
        long handle = t.fs.open(t.ctx, file, append, false).handle();
        t.fs.write(t.ctx, file, handle, new SegmentedMemory.Reader(new byte[] {4}), 1, 0,
                OptionalLong.empty(), append, 0);
        long reader = t.open(file, RDONLY);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, t.read(file, reader, 0, 10));
    }

    @Test
    void writeUpdatesMtimeAndCtimeButNotAtime() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        Attr before = t.attr(file);
        t.clock.advance(5, 7);
        t.write(file, handle, 0, new byte[1]);
        Attr after = t.attr(file);
        assertEquals(before.mtimeSec() + 5, after.mtimeSec());
        assertEquals(before.mtimeNsec() + 7, after.mtimeNsec());
        assertEquals(after.mtimeSec(), after.ctimeSec());
        assertEquals(before.atimeSec(), after.atimeSec());
    }

    @Test
    void writeWithKillSuidgidClearsTheSetIdBits() throws Exception {
        long file = t.fs.mknod(t.ctx, ROOT, name("f"), FileMode.S_IFREG | 06755, 0, 0).nodeId();
        long handle = t.open(file, RDWR);
        t.fs.write(t.ctx, file, handle, new SegmentedMemory.Reader(new byte[1]), 1, 0, OptionalLong.empty(),
                RDWR, FuseFilesystem.FUSE_WRITE_KILL_SUIDGID);
        assertEquals(FileMode.S_IFREG | 0755, t.attr(file).mode());
    }

    @Test
    void killSuidgidKeepsSetgidWithoutGroupExecute() throws Exception {
        long file = t.fs.mknod(t.ctx, ROOT, name("f"), FileMode.S_IFREG | 06744, 0, 0).nodeId();
        long handle = t.open(file, RDWR);
        t.fs.write(t.ctx, file, handle, new SegmentedMemory.Reader(new byte[1]), 1, 0, OptionalLong.empty(),
                RDWR, FuseFilesystem.FUSE_WRITE_KILL_SUIDGID);
        assertEquals(FileMode.S_IFREG | 02744, t.attr(file).mode());
    }

    @Test
    void openWithTruncEmptiesTheFile() throws Exception {
        long file = t.file("f", random(100_000));
        long free = t.fs.statfs(t.ctx, ROOT).bfree();
        t.fs.open(t.ctx, file, new OpenFlags(OpenFlags.O_RDWR | OpenFlags.O_TRUNC), false);
        assertEquals(0, t.attr(file).size());
        assertEquals(free + 2, t.fs.statfs(t.ctx, ROOT).bfree());
    }

    @Test
    void openOfADirectoryThrowsEisdirAndOfAFifoEinval() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long fifo = t.fs.mknod(t.ctx, ROOT, name("p"), FileMode.S_IFIFO | 0644, 0, 0).nodeId();
        assertEquals(Errno.EISDIR, errno(() -> t.open(dir, RDONLY)));
        assertEquals(Errno.EINVAL, errno(() -> t.open(fifo, RDONLY)));
    }

    @Test
    void openRepliesWithTheCacheModesFlags() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertTrue(t.fs.open(t.ctx, file, RDONLY, false).has(OpenReply.FOPEN_KEEP_CACHE));
        TestFs never = new TestFs(new MemoryOptions(1 << 20, 10, 0777, 0, 0, CacheMode.NEVER));
        long other = never.mknod(ROOT, "f").nodeId();
        assertTrue(never.fs.open(never.ctx, other, RDONLY, false)
                .has(OpenReply.FOPEN_DIRECT_IO));
    }

    @Test
    void noOpenFileAsksForFlushWhichDoesNothingHere() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertTrue(t.fs.open(t.ctx, file, RDONLY, false).has(OpenReply.FOPEN_NOFLUSH));
        assertTrue(t.fs.open(t.ctx, file, new OpenFlags(OpenFlags.O_WRONLY), false)
                .has(OpenReply.FOPEN_NOFLUSH));
        assertTrue(t.fs.create(t.ctx, ROOT, name("g"), 0644, new OpenFlags(OpenFlags.O_RDWR), 0, false)
                .open().has(OpenReply.FOPEN_NOFLUSH));
    }

    @Test
    void createMakesAndOpensAFileOwnedByTheCaller() throws Exception {
        CreateReply reply = t.fs.create(t.ctx, ROOT, name("f"), FileMode.S_IFREG | 0666, RDWR,
                022, false);
        long file = reply.entry().nodeId();
        assertEquals(1, t.write(file, reply.open().handle(), 0, new byte[] {9}));
        Attr attr = t.attr(file);
        assertEquals(FileMode.S_IFREG | 0644, attr.mode());
        assertEquals(TestFs.ALICE.uid(), attr.uid());
        assertEquals(TestFs.ALICE.gid(), attr.gid());
        assertEquals(1, attr.nlink());
    }

    @Test
    void createExclusiveOfAnExistingNameThrowsEexist() throws Exception {
        t.mknod(ROOT, "f");
        OpenFlags excl = new OpenFlags(OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_EXCL);
        assertEquals(Errno.EEXIST, errno(() -> t.fs.create(t.ctx, ROOT, name("f"), 0644, excl,
                0, false)));
    }

    @Test
    void createWithoutExclOpensTheExistingFile() throws Exception {
        long file = t.file("f", new byte[] {1, 2});
        OpenFlags flags = new OpenFlags(OpenFlags.O_RDWR | OpenFlags.O_CREAT);
        CreateReply reply = t.fs.create(t.ctx, ROOT, name("f"), 0644, flags, 0, false);
        assertEquals(file, reply.entry().nodeId());
        assertEquals(2, reply.entry().attr().size());
    }

    @Test
    void createOverADirectoryThrowsEisdir() throws Exception {
        t.mkdir(ROOT, "d");
        assertEquals(Errno.EISDIR, errno(() -> t.fs.create(t.ctx, ROOT, name("d"), 0644, RDWR,
                0, false)));
    }

    @Test
    void tmpfileHasNoNameUntilLinked() throws Exception {
        CreateReply reply = t.fs.tmpfile(t.ctx, ROOT, 0600, RDWR, 0);
        long file = reply.entry().nodeId();
        t.write(file, reply.open().handle(), 0, new byte[] {5});
        assertEquals(0, t.attr(file).nlink());
        assertEquals(java.util.List.of(".", ".."), TestFs.names(t.readdir(ROOT, 0)));
        t.fs.link(t.ctx, file, ROOT, name("named"));
        assertEquals(1, t.attr(file).nlink());
        assertEquals(file, t.lookup(ROOT, "named").nodeId());
    }

    @Test
    void anUnlinkedTmpfileIsFreedOnRelease() throws Exception {
        CreateReply reply = t.fs.tmpfile(t.ctx, ROOT, 0600, RDWR, 0);
        long file = reply.entry().nodeId();
        t.fs.forget(t.ctx, file, 1);
        assertEquals(2, t.fs.nodeCount());
        t.release(file, reply.open().handle());
        assertEquals(1, t.fs.nodeCount());
    }

    @Test
    void copyFileRangeCopiesBetweenFiles() throws Exception {
        byte[] data = random(150_000);
        long from = t.file("from", data);
        long to = t.mknod(ROOT, "to").nodeId();
        long in = t.open(from, RDONLY);
        long out = t.open(to, RDWR);
        long copied = t.fs.copyFileRange(t.ctx, from, in, 10, to, out, 5, 1 << 20, 0);
        assertEquals(data.length - 10, copied);
        assertArrayEquals(Arrays.copyOfRange(data, 10, data.length),
                t.read(to, out, 5, data.length));
    }

    @Test
    void copyFileRangeWithinOneFileRefusesOverlapWithEinval() throws Exception {
        long file = t.file("f", random(1000));
        long handle = t.open(file, RDWR);
        assertEquals(Errno.EINVAL, errno(() -> t.fs.copyFileRange(t.ctx, file, handle, 0, file,
                handle, 500, 1000, 0)));
        assertEquals(500, t.fs.copyFileRange(t.ctx, file, handle, 0, file, handle, 1000, 500, 0));
    }

    @Test
    void copyFileRangeNeedsAReadableSourceAndWritableTarget() throws Exception {
        long file = t.file("f", random(10));
        long writeOnly = t.open(file, WRONLY);
        long readOnly = t.open(file, RDONLY);
        assertEquals(Errno.EBADF, errno(() -> t.fs.copyFileRange(t.ctx, file, writeOnly, 0,
                file, writeOnly, 100, 10, 0)));
        assertEquals(Errno.EBADF, errno(() -> t.fs.copyFileRange(t.ctx, file, readOnly, 0,
                file, readOnly, 100, 10, 0)));
    }

    @Test
    void flushFsyncAndSyncfsSucceed() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        t.fs.flush(t.ctx, file, handle, 0);
        t.fs.fsync(t.ctx, file, handle, true);
        t.fs.fsyncdir(t.ctx, ROOT, 0, false);
        t.fs.syncfs(t.ctx, ROOT);
        assertFalse(t.attr(file).isDirectory());
    }
}

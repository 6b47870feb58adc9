package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.FALLOC_FL_COLLAPSE_RANGE;
import static org.jvirtiofs.api.FuseFilesystem.FALLOC_FL_KEEP_SIZE;
import static org.jvirtiofs.api.FuseFilesystem.FALLOC_FL_PUNCH_HOLE;
import static org.jvirtiofs.api.FuseFilesystem.FALLOC_FL_ZERO_RANGE;
import static org.jvirtiofs.api.FuseFilesystem.SEEK_DATA;
import static org.jvirtiofs.api.FuseFilesystem.SEEK_HOLE;
import static org.jvirtiofs.fs.memory.FileData.CHUNK_SIZE;
import static org.jvirtiofs.fs.memory.TestFs.RDONLY;
import static org.jvirtiofs.fs.memory.TestFs.RDWR;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.SetattrValid;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SparseFileTest {
    private final TestFs t = new TestFs();
    private long file;
    private long handle;

    @BeforeEach
    void openAnEmptyFile() throws Exception {
        file = t.mknod(ROOT, "f").nodeId();
        handle = t.open(file, RDWR);
    }

    private byte[] ones(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 1);
        return b;
    }

    private long seek(long offset, int whence) throws Exception {
        return t.fs.lseek(t.ctx, file, handle, offset, whence);
    }

    private void fallocate(int mode, long offset, long length) throws Exception {
        t.fs.fallocate(t.ctx, file, handle, mode, offset, length);
    }

    private void truncate(long size) throws Exception {
        Attr attr = new Attr(0, size, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        t.fs.setattr(t.ctx, file, attr, new SetattrValid(SetattrValid.FATTR_SIZE),
                OptionalLong.empty());
    }

    @Test
    void seekDataSkipsAHole() throws Exception {
        t.write(file, handle, 3L * CHUNK_SIZE + 10, ones(10));
        assertEquals(3L * CHUNK_SIZE, seek(0, SEEK_DATA));
        assertEquals(3L * CHUNK_SIZE + 5, seek(3L * CHUNK_SIZE + 5, SEEK_DATA));
    }

    @Test
    void seekHoleFindsPunchedHole() throws Exception {
        t.write(file, handle, 0, ones(4 * CHUNK_SIZE));
        fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, CHUNK_SIZE, 2L * CHUNK_SIZE);
        assertEquals(CHUNK_SIZE, seek(0, SEEK_HOLE));
        assertEquals(3L * CHUNK_SIZE, seek(CHUNK_SIZE, SEEK_DATA));
        assertEquals(4L * CHUNK_SIZE, t.attr(file).size());
        assertEquals(2L * CHUNK_SIZE / 512, t.attr(file).blocks());
        assertArrayEquals(new byte[2 * CHUNK_SIZE], t.read(file, handle, CHUNK_SIZE,
                2 * CHUNK_SIZE));
    }

    @Test
    void punchingPartOfAChunkZerosItButKeepsItAllocated() throws Exception {
        t.write(file, handle, 0, ones(100));
        fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 10, 20);
        byte[] expected = ones(100);
        Arrays.fill(expected, 10, 30, (byte) 0);
        assertArrayEquals(expected, t.read(file, handle, 0, 100));
        assertEquals(CHUNK_SIZE / 512, t.attr(file).blocks());
    }

    @Test
    void seekHoleAtTheEndOfDataIsTheSize() throws Exception {
        t.write(file, handle, 0, ones(100));
        assertEquals(100, seek(0, SEEK_HOLE));
    }

    @Test
    void seekAtOrPastTheEndThrowsEnxio() throws Exception {
        t.write(file, handle, 0, ones(100));
        assertEquals(Errno.ENXIO, errno(() -> seek(100, SEEK_DATA)));
        assertEquals(Errno.ENXIO, errno(() -> seek(100, SEEK_HOLE)));
    }

    @Test
    void seekDataInATrailingHoleThrowsEnxio() throws Exception {
        truncate(10L * CHUNK_SIZE);
        assertEquals(Errno.ENXIO, errno(() -> seek(0, SEEK_DATA)));
        assertEquals(0, seek(0, SEEK_HOLE));
    }

    @Test
    void seekWithAnotherWhenceThrowsEinval() {
        assertEquals(Errno.EINVAL, errno(() -> seek(0, 0)));
    }

    @Test
    void punchHoleWithoutKeepSizeThrowsEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errno(() -> fallocate(FALLOC_FL_PUNCH_HOLE, 0, 10)));
    }

    @Test
    void collapseRangeThrowsEopnotsupp() {
        assertEquals(Errno.EOPNOTSUPP, errno(() -> fallocate(FALLOC_FL_COLLAPSE_RANGE, 0,
                CHUNK_SIZE)));
    }

    @Test
    void fallocateWithAZeroLengthThrowsEinval() {
        assertEquals(Errno.EINVAL, errno(() -> fallocate(0, 0, 0)));
    }

    @Test
    void fallocateExtendsTheSizeUnlessKeepSize() throws Exception {
        fallocate(FALLOC_FL_KEEP_SIZE, 0, 2L * CHUNK_SIZE);
        assertEquals(0, t.attr(file).size());
        assertEquals(2L * CHUNK_SIZE / 512, t.attr(file).blocks());
        fallocate(0, 0, 100);
        assertEquals(100, t.attr(file).size());
        assertEquals(0, seek(0, SEEK_DATA));
    }

    @Test
    void zeroRangeZerosAndExtends() throws Exception {
        t.write(file, handle, 0, ones(100));
        fallocate(FALLOC_FL_ZERO_RANGE, 50, 100);
        assertEquals(150, t.attr(file).size());
        byte[] expected = new byte[150];
        Arrays.fill(expected, 0, 50, (byte) 1);
        assertArrayEquals(expected, t.read(file, handle, 0, 200));
    }

    @Test
    void zeroRangeWithKeepSizeKeepsTheSize() throws Exception {
        t.write(file, handle, 0, ones(100));
        fallocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 90, 100);
        assertEquals(100, t.attr(file).size());
    }

    @Test
    void fallocateBeyondTheSizeLimitThrowsEnospc() throws Exception {
        TestFs small = new TestFs(new MemoryOptions(4 * CHUNK_SIZE, 10, 0777, 0, 0,
                CacheMode.ALWAYS));
        long f = small.mknod(ROOT, "f").nodeId();
        long h = small.open(f, RDWR);
        assertEquals(Errno.ENOSPC, errno(() -> small.fs.fallocate(small.ctx, f, h, 0, 0,
                5L * CHUNK_SIZE)));
        assertEquals(0, small.attr(f).blocks());
    }

    @Test
    void fallocateThroughAReadOnlyHandleThrowsEbadf() throws Exception {
        long readOnly = t.open(file, RDONLY);
        assertEquals(Errno.EBADF, errno(() -> t.fs.fallocate(t.ctx, file, readOnly, 0, 0, 10)));
    }

    @Test
    void truncateDownThenUpReadsZeros() throws Exception {
        t.write(file, handle, 0, ones(3 * CHUNK_SIZE));
        truncate(100);
        assertEquals(CHUNK_SIZE / 512, t.attr(file).blocks());
        truncate(2L * CHUNK_SIZE);
        byte[] expected = new byte[2 * CHUNK_SIZE];
        Arrays.fill(expected, 0, 100, (byte) 1);
        assertArrayEquals(expected, t.read(file, handle, 0, 3 * CHUNK_SIZE));
    }

    @Test
    void truncateUpAddsAHoleWithoutSpace() throws Exception {
        truncate(1L << 40);
        assertEquals(1L << 40, t.attr(file).size());
        assertEquals(0, t.attr(file).blocks());
    }

    @Test
    void truncateUpdatesMtimeAndCtime() throws Exception {
        t.clock.advance(10, 0);
        truncate(5);
        Attr attr = t.attr(file);
        assertEquals(attr.atimeSec() + 10, attr.mtimeSec());
        assertEquals(attr.mtimeSec(), attr.ctimeSec());
    }

    @Test
    void truncateToANegativeSizeThrowsEinval() {
        assertEquals(Errno.EINVAL, errno(() -> truncate(-1)));
    }
}

package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.ToIntBiFunction;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * The contents of a regular file: a size and a sorted map of fixed-size chunks ({@link ChunkMap}).
 *
 * <p>A chunk exists only where data was written or space allocated; everything else is a hole
 * that reads as zeros and costs nothing, which is also what SEEK_DATA and SEEK_HOLE report. One
 * invariant keeps the arithmetic simple: every byte at or beyond {@link #size()} is zero, in
 * every chunk, so growing the file never exposes old data.
 *
 * <p>Not thread-safe: guarded by the monitor of the {@link RegularFile} that owns it.
 */
final class FileData {
    /** The allocation unit: big enough to keep the map small, small enough for sparse files. */
    static final int CHUNK_SIZE = 64 * 1024;
    /** The largest size a file may have; offsets at or past it fail with EFBIG. */
    static final long MAX_SIZE = Long.MAX_VALUE / CHUNK_SIZE * CHUNK_SIZE;

    private static final ByteBuffer ZEROS = ByteBuffer.allocate(CHUNK_SIZE).asReadOnlyBuffer();

    /**
     * Each chunk is a heap buffer kept with its bytes, and the piece a read or write hands out is
     * that buffer with its position and limit set (under the file's monitor): no object per piece,
     * and none to find the chunk.
     */
    private final ChunkMap chunks = new ChunkMap();
    private final Capacity capacity;
    private long size;

    FileData(Capacity capacity) {
        this.capacity = capacity;
    }

    /** The file size in bytes. */
    long size() {
        return size;
    }

    /** The bytes held in chunks, which is what counts against the size limit. */
    long allocatedBytes() {
        return (long) chunks.size() * CHUNK_SIZE;
    }

    /**
     * Hands up to {@code length} bytes from {@code offset}, never past the end of file, to
     * {@code sink} one piece at a time, with {@code target}; the sink returns how many bytes of a
     * piece it took. Passing the target along lets callers use a sink that captures nothing.
     *
     * @return the number of bytes taken
     */
    <T> int read(long offset, int length, T target, ToIntBiFunction<T, ByteBuffer> sink) {
        long end = offset + Math.min(length, Math.max(0, size - offset));
        long pos = offset;
        while (pos < end) {
            int within = (int) (pos % CHUNK_SIZE);
            int n = (int) Math.min(CHUNK_SIZE - within, end - pos);
            ByteBuffer chunk = chunks.get(pos / CHUNK_SIZE);
            ByteBuffer piece = chunk != null
                    ? piece(chunk, within, n)
                    : ZEROS.duplicate().limit(n);
            int taken = sink.applyAsInt(target, piece);
            pos += taken;
            if (taken < n) {
                break;
            }
        }
        return (int) (pos - offset);
    }

    /**
     * Fills {@code length} bytes at {@code offset} from {@code source}, which fills each piece it
     * is given from {@code from} and returns how many bytes it put in. Space for the whole range
     * is reserved first, so a write either fits or fails with ENOSPC and changes nothing.
     *
     * @return the number of bytes written, less than {@code length} only if the source ran dry
     */
    <T> int write(long offset, int length, T from, ToIntBiFunction<T, ByteBuffer> source)
            throws FsException {
        if (length == 0) {
            return 0;
        }
        allocate(offset, length);
        long end = offset + length;
        long pos = offset;
        while (pos < end) {
            int within = (int) (pos % CHUNK_SIZE);
            int n = (int) Math.min(CHUNK_SIZE - within, end - pos);
            int filled = source.applyAsInt(from, piece(chunks.get(pos / CHUNK_SIZE), within, n));
            pos += filled;
            if (filled < n) {
                break;
            }
        }
        size = Math.max(size, pos);
        return (int) (pos - offset);
    }

    /**
     * Sets the size. Shrinking frees every chunk past the new end (space preallocated beyond the
     * old end too) and zeros the tail of the last one, to keep the invariant; growing adds a hole.
     */
    void truncate(long newSize) throws FsException {
        checkRange(newSize, 0);
        if (newSize < size) {
            long firstWhole = (newSize + CHUNK_SIZE - 1) / CHUNK_SIZE;
            dropChunks(firstWhole, Long.MAX_VALUE);
            zero(newSize, firstWhole * CHUNK_SIZE);
        }
        size = newSize;
    }

    /**
     * Makes sure chunks back {@code [offset, offset + length)}, all or none (ENOSPC). Plain
     * fallocate(2); the caller extends the size unless FALLOC_FL_KEEP_SIZE was given.
     */
    void allocate(long offset, long length) throws FsException {
        checkRange(offset, length);
        long first = offset / CHUNK_SIZE;
        long last = (offset + length - 1) / CHUNK_SIZE;
        capacity.reserveChunks(last - first + 1 - chunks.count(first, last));
        for (long index = first; index <= last; index++) {
            chunks.getOrAdd(index, CHUNK_SIZE);
        }
    }

    /** FALLOC_FL_PUNCH_HOLE: frees the whole chunks in the range and zeros the partial ones. */
    void punchHole(long offset, long length) throws FsException {
        checkRange(offset, length);
        long end = offset + length;
        long firstWhole = (offset + CHUNK_SIZE - 1) / CHUNK_SIZE;
        long endWhole = end / CHUNK_SIZE;
        if (firstWhole < endWhole) {
            dropChunks(firstWhole, endWhole);
            zero(offset, firstWhole * CHUNK_SIZE);
            zero(endWhole * CHUNK_SIZE, end);
        } else {
            zero(offset, end);
        }
    }

    /** FALLOC_FL_ZERO_RANGE: the range reads as zeros and, like fallocate, is allocated. */
    void zeroRange(long offset, long length) throws FsException {
        allocate(offset, length);
        zero(offset, offset + length);
    }

    /** SEEK_DATA: the first offset at or after {@code offset} inside a chunk; ENXIO if none. */
    long seekData(long offset) throws FsException {
        if (offset < 0 || offset >= size) {
            throw FsException.of(Errno.ENXIO);
        }
        long index = offset / CHUNK_SIZE;
        if (chunks.contains(index)) {
            return offset;
        }
        long next = chunks.higher(index);
        if (next < 0 || next * CHUNK_SIZE >= size) {
            throw FsException.of(Errno.ENXIO);
        }
        return next * CHUNK_SIZE;
    }

    /** SEEK_HOLE: the first offset at or after {@code offset} in a hole, or the size. */
    long seekHole(long offset) throws FsException {
        if (offset < 0 || offset >= size) {
            throw FsException.of(Errno.ENXIO);
        }
        long index = offset / CHUNK_SIZE;
        if (!chunks.contains(index)) {
            return offset;
        }
        while (chunks.contains(index + 1)) {
            index++;
        }
        return Math.min((index + 1) * CHUNK_SIZE, size);
    }

    /** Frees every chunk: the file is gone. */
    void release() {
        capacity.releaseChunks(chunks.size());
        chunks.clear();
        size = 0;
    }

    /** {@code chunk}'s bytes {@code [within, within + n)} as its position and limit. */
    private static ByteBuffer piece(ByteBuffer chunk, int within, int n) {
        return chunk.clear().position(within).limit(within + n);
    }

    /** EINVAL for negative values, EFBIG for a range ending past {@link #MAX_SIZE}. */
    static void checkRange(long offset, long length) throws FsException {
        if (offset < 0 || length < 0) {
            throw FsException.of(Errno.EINVAL);
        }
        if (offset > MAX_SIZE - length) {
            throw FsException.of(Errno.EFBIG);
        }
    }

    private void dropChunks(long fromIndex, long toIndexExclusive) {
        capacity.releaseChunks(chunks.removeRange(fromIndex, toIndexExclusive));
    }

    /** Zeros {@code [from, to)} in the chunks that exist; holes are zero already. */
    private void zero(long from, long to) {
        long pos = from;
        while (pos < to) {
            int within = (int) (pos % CHUNK_SIZE);
            int n = (int) Math.min(CHUNK_SIZE - within, to - pos);
            ByteBuffer chunk = chunks.get(pos / CHUNK_SIZE);
            if (chunk != null) {
                Arrays.fill(chunk.array(), within, within + n, (byte) 0);
            }
            pos += n;
        }
    }
}

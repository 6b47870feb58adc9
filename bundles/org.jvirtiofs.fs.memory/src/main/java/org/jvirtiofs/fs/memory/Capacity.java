package org.jvirtiofs.fs.memory;

import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.StatFs;

/**
 * The size and inode limits of one filesystem, and what is used of them.
 *
 * <p>Data is accounted in whole {@link FileData#CHUNK_SIZE} chunks, as allocated, not by file
 * size: a sparse file costs only the chunks that hold data. Names, attributes, symlink targets and
 * xattrs are not counted; the inode limit bounds them. The root always exists and counts as one
 * inode. Reservations are lock-free, so files
 * locked separately can allocate at the same time without overshooting the limit.
 */
final class Capacity {
    private final long maxChunks;
    private final long maxInodes;
    private final AtomicLong usedChunks = new AtomicLong();
    private final AtomicLong usedInodes = new AtomicLong(1); // the root's, from the start

    Capacity(long maxBytes, long maxInodes) {
        this.maxChunks = maxBytes / FileData.CHUNK_SIZE;
        this.maxInodes = maxInodes;
    }

    /** Takes {@code count} chunks, or none and ENOSPC if that would pass the size limit. */
    void reserveChunks(long count) throws FsException {
        reserve(usedChunks, count, maxChunks);
    }

    /** Gives back {@code count} chunks. */
    void releaseChunks(long count) {
        usedChunks.addAndGet(-count);
    }

    /** Takes one inode, or ENOSPC if that would pass the inode limit. */
    void reserveInode() throws FsException {
        reserve(usedInodes, 1, maxInodes);
    }

    /** Gives back one inode. */
    void releaseInode() {
        usedInodes.decrementAndGet();
    }

    /** What statfs(2) reports: blocks are chunks, so df shows what the limit allows. */
    StatFs statfs() {
        long freeChunks = Math.max(0, maxChunks - usedChunks.get());
        long freeInodes = Math.max(0, maxInodes - usedInodes.get());
        return new StatFs(maxChunks, freeChunks, freeChunks, maxInodes, freeInodes,
                FileData.CHUNK_SIZE, Namespace.NAME_MAX, FileData.CHUNK_SIZE);
    }

    private static void reserve(AtomicLong used, long count, long max) throws FsException {
        long before;
        do {
            before = used.get();
            if (count > max - before) {
                throw FsException.of(Errno.ENOSPC);
            }
        } while (!used.compareAndSet(before, before + count));
    }
}

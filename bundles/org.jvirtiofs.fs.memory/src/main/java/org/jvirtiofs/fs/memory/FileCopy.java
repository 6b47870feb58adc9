package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * COPY_FILE_RANGE between two regular files, through a buffer.
 *
 * <p>The copy goes a chunk at a time, holding one file's monitor at a time and never both: that
 * keeps the locking rule of {@link MemoryFilesystem} and needs no special case when both are the
 * same file. As on Linux the copy is not atomic: a reader may see it half done.
 */
final class FileCopy {
    /** The reply's count is 32 bits. */
    private static final long MAX_COPY = 0xFFFF_FFFFL;

    private FileCopy() {
    }

    /**
     * Copies up to {@code length} bytes, stopping at the end of {@code from}. Overlapping ranges
     * of one file fail with EINVAL, as copy_file_range(2) says.
     *
     * @return the number of bytes copied; short if space ran out after the first chunk
     */
    static long copy(RegularFile from, long offsetIn, RegularFile to, long offsetOut,
            long length, Timestamp now) throws FsException {
        if (offsetIn < 0 || offsetOut < 0 || length < 0) {
            throw FsException.of(Errno.EINVAL);
        }
        long available = Math.max(0, from.attr().size() - offsetIn);
        long todo = Math.min(Math.min(length, available), MAX_COPY);
        if (from == to && offsetIn < offsetOut + todo && offsetOut < offsetIn + todo) {
            throw FsException.of(Errno.EINVAL);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(todo, FileData.CHUNK_SIZE));
        long copied = 0;
        while (copied < todo) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), todo - copied));
            int got = from.copyOut(offsetIn + copied, buffer, now);
            if (got == 0) {
                break; // the source shrank meanwhile
            }
            buffer.flip();
            try {
                to.copyIn(offsetOut + copied, buffer, now);
            } catch (FsException e) {
                if (copied == 0) {
                    throw e;
                }
                break; // report what was copied; the guest asks again for the rest
            }
            copied += got;
        }
        return copied;
    }
}

package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;

/**
 * A regular file: a node with {@link FileData}. Each operation changes data and times together
 * under the file's monitor, so a concurrent GETATTR sees both or neither.
 */
final class RegularFile extends Node {
    private final FileData data;
    // O_TMPFILE files start without a name; LINK may give them one (Linux: I_LINKABLE)
    private final boolean linkable;

    RegularFile(long id, int permissions, int uid, int gid, boolean named, Timestamp now,
            Capacity capacity) {
        super(id, FileMode.S_IFREG | permissions, uid, gid, named ? 1 : 0, now);
        this.data = new FileData(capacity);
        this.linkable = !named;
    }

    /** {@code node} as a regular file; EISDIR for a directory, EINVAL for anything else. */
    static RegularFile of(Node node) throws FsException {
        if (node instanceof RegularFile file) {
            return file;
        }
        throw FsException.of(node instanceof Directory ? Errno.EISDIR : Errno.EINVAL);
    }

    /** Whether LINK may name this file although it has no name now (an O_TMPFILE file). */
    boolean isLinkable() {
        return linkable;
    }

    @Override
    long size() {
        return data.size();
    }

    @Override
    long blocks() {
        return data.allocatedBytes() / 512;
    }

    @Override
    boolean allowsUserXattrs() {
        return true;
    }

    @Override
    synchronized void truncate(long newSize) throws FsException {
        data.truncate(newSize);
    }

    @Override
    synchronized void releaseStorage() {
        data.release();
    }

    /** O_TRUNC on OPEN or CREATE (ATOMIC_O_TRUNC). */
    synchronized void truncateOnOpen(boolean killSuidgid, Timestamp now) throws FsException {
        data.truncate(0);
        touchModified(now);
        if (killSuidgid) {
            killSuidgid(now);
        }
    }

    /** READ into transport memory; a read marks the file accessed (relatime). */
    synchronized int read(long offset, int size, ZeroCopyWriter dst, FileClock clock)
            throws FsException {
        checkOffset(offset);
        int n = data.read(offset, Math.min(size, dst.remaining()), dst, ZeroCopyWriter::write);
        touchAccessed(clock);
        return n;
    }

    /**
     * WRITE from transport memory at {@code offset}, or at the end of file if {@code append}:
     * the guest's idea of the size may be stale, ours is not. {@code nowNanos} is the time
     * (nanoseconds since the epoch), a number so that a WRITE makes no object.
     */
    synchronized int write(long offset, int size, ZeroCopyReader src, boolean append,
            boolean killSuidgid, long nowNanos) throws FsException {
        checkOffset(offset);
        int n = data.write(append ? data.size() : offset, Math.min(size, src.remaining()), src,
                ZeroCopyReader::read);
        touchModified(nowNanos);
        if (killSuidgid) {
            killSuidgid(Timestamp.ofEpochNanos(nowNanos));
        }
        return n;
    }

    /** FALLOCATE: plain allocation, PUNCH_HOLE (with KEEP_SIZE) and ZERO_RANGE. */
    synchronized void fallocate(int mode, long offset, long length, Timestamp now)
            throws FsException {
        if (length <= 0) {
            throw FsException.of(Errno.EINVAL);
        }
        boolean keepSize = (mode & FuseFilesystem.FALLOC_FL_KEEP_SIZE) != 0;
        switch (mode & ~FuseFilesystem.FALLOC_FL_KEEP_SIZE) {
            case 0 -> data.allocate(offset, length);
            // like vfs_fallocate: a hole punched must not change the size
            case FuseFilesystem.FALLOC_FL_PUNCH_HOLE -> {
                if (!keepSize) {
                    throw FsException.of(Errno.EOPNOTSUPP);
                }
                data.punchHole(offset, length);
            }
            case FuseFilesystem.FALLOC_FL_ZERO_RANGE -> data.zeroRange(offset, length);
            // COLLAPSE_RANGE, INSERT_RANGE, UNSHARE_RANGE: nothing in memory needs them
            default -> throw FsException.of(Errno.EOPNOTSUPP);
        }
        if (!keepSize && offset + length > data.size()) {
            data.truncate(offset + length);
        }
        touchModified(now);
    }

    /** LSEEK with SEEK_DATA or SEEK_HOLE; EINVAL for any other whence. */
    synchronized long seek(long offset, int whence) throws FsException {
        return switch (whence) {
            case FuseFilesystem.SEEK_DATA -> data.seekData(offset);
            case FuseFilesystem.SEEK_HOLE -> data.seekHole(offset);
            default -> throw FsException.of(Errno.EINVAL);
        };
    }

    /** Copies up to {@code into.remaining()} bytes at {@code offset} out, for copy_file_range. */
    synchronized int copyOut(long offset, ByteBuffer into, Timestamp now) throws FsException {
        checkOffset(offset);
        int n = data.read(offset, into.remaining(), into, (to, piece) -> {
            int count = piece.remaining();
            to.put(piece);
            return count;
        });
        touchAccessed(now);
        return n;
    }

    /** Writes all of {@code from} at {@code offset}, for copy_file_range. */
    synchronized int copyIn(long offset, ByteBuffer from, Timestamp now) throws FsException {
        checkOffset(offset);
        int n = data.write(offset, from.remaining(), from, (source, piece) -> {
            int count = piece.remaining();
            piece.put(source.slice().limit(count));
            source.position(source.position() + count);
            return count;
        });
        touchModified(now);
        return n;
    }

    private static void checkOffset(long offset) throws FsException {
        if (offset < 0) {
            throw FsException.of(Errno.EINVAL);
        }
    }
}

package org.jvirtiofs.fs.passthrough;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.jvirtiofs.posix.DataStamp;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/**
 * Open files: open, create and tmpfile, zero-copy read and write (preadv/pwritev straight
 * between the file and transport memory), flush, release, fsync, fallocate, lseek,
 * copy_file_range and syncfs.
 *
 * <p>Zero-message opens ({@link SharedDir#noOpen}): OPEN is answered ENOSYS, after which the
 * guest kernel sends no OPEN and no RELEASE of a file again, and names handle {@link #NO_HANDLE}
 * in READ, WRITE and the rest. A READ (and LSEEK, FSYNC) uses the inode's read-only descriptor that
 * {@link ReadFds} keeps for the files read last; the others open the inode for themselves and
 * close it before replying, so close-time errors come back with the request that wrote. FLUSH,
 * having nothing left to do, is answered ENOSYS too, and the guest stops sending it. So is
 * CREATE, whose handle the guest would never release: the kernel then makes files with MKNOD and
 * opens them itself. TMPFILE is refused with ENOSYS (the kernel then answers EOPNOTSUPP): its
 * file lives only while a handle is open.
 */
final class FileOps {
    /** The handle of a file the guest opened without OPEN; ours start at 1. */
    static final long NO_HANDLE = 0;
    /** Largest copy_file_range: the reply's count is 32 bits, and Linux caps a call at 2 GiB anyway. */
    private static final long MAX_COPY = 1L << 30;
    // flags that belong to name resolution or to us, never to the reopened file; and O_DIRECT:
    // the guest's direct I/O already bypasses its page cache, and the host's would need buffers
    // aligned as the host's disk wants, which requests' data is not (every READ and WRITE would
    // fail with EINVAL); both QEMU daemons drop it too, unless told to allow it
    private static final int NOT_PASSED = OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY
            | OpenFlags.O_NOFOLLOW | OpenFlags.O_PATH | OpenFlags.O_CLOEXEC
            | OpenFlags.O_DIRECT;

    private final SharedDir dir;

    FileOps(SharedDir dir) {
        this.dir = dir;
    }

    /** The host flags for the guest's: with writeback the kernel reads through write-only opens and appends itself. */
    int hostFlags(org.jvirtiofs.api.OpenFlags guest) {
        int bits = guest.bits() & ~NOT_PASSED;
        if (dir.writeback) {
            if ((bits & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY) {
                bits = (bits & ~OpenFlags.O_ACCMODE) | OpenFlags.O_RDWR;
            }
            bits &= ~OpenFlags.O_APPEND;
        }
        return bits;
    }

    private void checkMayWrite(int hostFlags) throws FsException {
        if ((hostFlags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY
                || (hostFlags & OpenFlags.O_TRUNC) != 0) {
            dir.checkWritable();
        }
    }

    OpenReply open(long nodeId, org.jvirtiofs.api.OpenFlags flags, boolean killSuidgid)
            throws FsException, PosixException {
        if (dir.noOpen) {
            throw FsException.of(Errno.ENOSYS);
        }
        Inode inode = dir.inodes.get(nodeId);
        if (!inode.isRegularFile()) {
            // the guest opens devices, fifos and sockets itself; a host one must never be opened
            throw FsException.of(inode.isDirectory() ? Errno.EISDIR
                    : inode.isSymlink() ? Errno.ELOOP : Errno.EACCES);
        }
        int host = hostFlags(flags);
        checkMayWrite(host);
        int fd = dir.inodes.reopen(inode, host);
        int replyFlags = dir.cache.openFlags() | directWrite(inode, host);
        try {
            replyFlags |= noFlush(fd, host);
            if (killSuidgid && (host & OpenFlags.O_TRUNC) != 0) {
                AttrOps.killSuidgid(dir, fd);
            }
            if (dir.cache.keepUnchanged()) {
                replyFlags |= keepIfUnchanged(inode, fd);
            }
        } catch (PosixException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        return new OpenReply(dir.handles.add(new OpenFile(inode, fd, host)), replyFlags);
    }

    /**
     * FOPEN_NOFLUSH when the FLUSH of the file open on {@code fd} with {@code host} flags would
     * have nothing to do: closing a duplicate reports nothing for a read-only fd, nor for any fd
     * of a file on a local file system without a flush operation ({@link
     * Mounts#closeReportsNothing}), where WRITE, which writes through at once, has already
     * reported what the host said. What is left of a FLUSH, ending the closer's POSIX locks on the
     * host, the session keeps by withholding the flag where those are taken. A file on NFS, FUSE
     * or another file system whose close can report a deferred error keeps its writers' FLUSH.
     */
    private static int noFlush(int fd, int host) throws PosixException {
        boolean quiet = (host & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY || Mounts.closeReportsNothing(fd);
        return quiet ? OpenReply.FOPEN_NOFLUSH : 0;
    }

    /**
     * FOPEN_DIRECT_IO for a write-only open where the cache policy allows it ({@link
     * CachePolicy#directWrites}: cache=auto, writable, no writeback asked for, and so none
     * negotiated) and the guest holds no other handle on the file. Its writes then go from the
     * writer's pages to the host, as 9p's do, without the guest first copying them into its page
     * cache: pages that cache=auto's next OPEN would drop anyway, the file having changed. With no
     * other open there is no mapping of the file in the guest for those writes to leave stale
     * (Linux 6.1 does not drop cached pages on a direct write); later readers' read(2) see the
     * change through the attributes the write invalidated. Nothing is lost by it: a write-only
     * descriptor can neither be read nor mapped.
     */
    private int directWrite(Inode inode, int host) {
        boolean direct = dir.cache.directWrites() && (host & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY
                && inode.opens() == 0;
        return direct ? OpenReply.FOPEN_DIRECT_IO : 0;
    }

    /**
     * KEEP_CACHE if the file open on {@code fd} is as it was at the OPEN that last made the guest
     * drop its pages of it, and that stamp counts; otherwise none, so the guest drops them now,
     * and this OPEN's stamp is the one later OPENs compare against.
     */
    private static int keepIfUnchanged(Inode inode, int fd) throws PosixException {
        DataStamp now = DataStamp.of(Fs.fstat(fd), System.currentTimeMillis());
        DataStamp dropped = inode.dataStamp;
        if (dropped != null && dropped.stillValidFor(now)) {
            return OpenReply.FOPEN_KEEP_CACHE;
        }
        inode.dataStamp = now;
        return 0;
    }

    CreateReply create(Context ctx, long parent, FileName name, int mode,
            org.jvirtiofs.api.OpenFlags flags, int umask) throws FsException, PosixException {
        dir.checkWritable();
        if (dir.noOpen) {
            throw FsException.of(Errno.ENOSYS); // the kernel falls back to MKNOD, and opens itself
        }
        Inode p = dir.inodes.get(parent);
        byte[] n = Names.component(name);
        int host = hostFlags(flags) | OpenFlags.O_CREAT | (flags.bits() & OpenFlags.O_EXCL);
        int fd;
        try (PathFd at = dir.inodes.path(p); Credentials c = actAs(ctx)) {
            fd = dir.confinement.openChild(at.fd, n, host, mode & 07777 & ~(umask & 0777));
        }
        return opened(p, fd, host & ~(OpenFlags.O_CREAT | OpenFlags.O_EXCL));
    }

    CreateReply tmpfile(Context ctx, long parent, int mode, org.jvirtiofs.api.OpenFlags flags,
            int umask) throws FsException, PosixException {
        dir.checkWritable();
        if (dir.noOpen) {
            throw FsException.of(Errno.ENOSYS);
        }
        Inode p = dir.inodes.get(parent);
        int host = hostFlags(flags) | OpenFlags.O_TMPFILE;
        if ((host & OpenFlags.O_ACCMODE) == OpenFlags.O_RDONLY) {
            host |= OpenFlags.O_RDWR; // O_TMPFILE needs write access
        }
        int fd;
        try (PathFd at = dir.inodes.path(p); Credentials c = actAs(ctx)) {
            fd = dir.confinement.openChild(at.fd, ".", host, mode & 07777 & ~(umask & 0777));
        }
        return opened(p, fd, host);
    }

    /** The entry and handle for a file just created and opened on {@code fd}. */
    private CreateReply opened(Inode parent, int fd, int host) throws FsException, PosixException {
        try {
            int replyFlags = dir.cache.openFlags() | noFlush(fd, host); // before the entry counts
            Entry entry = dir.adopt(parent, dir.confinement.reopen(fd, OpenFlags.O_PATH));
            Inode inode = dir.inodes.get(entry.nodeId());
            replyFlags |= directWrite(inode, host);
            long h = dir.handles.add(new OpenFile(inode, fd, host));
            return new CreateReply(entry, new OpenReply(h, replyFlags));
        } catch (FsException | PosixException | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
    }

    int read(long nodeId, long handle, ZeroCopyWriter dst, int size, long offset)
            throws FsException, PosixException {
        if (handle != NO_HANDLE) {
            return read(dir.handles.file(handle).fd(), dst, size, offset);
        }
        ReadFds.Kept kept = dir.inodes.readFds.acquire(fileWithoutHandle(nodeId));
        try {
            return read(kept.fd, dst, size, offset);
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    private static int read(int fd, ZeroCopyWriter dst, int size, long offset) throws PosixException {
        int total = 0;
        while (total < size) {
            ByteBuffer[] buffers = dst.positionedBuffers(size - total);
            if (buffers.length == 0) {
                break;
            }
            long n = Io.preadv(fd, buffers, offset + total);
            if (n <= 0) {
                break; // end of file
            }
            dst.commit((int) n);
            total += (int) n;
        }
        return total;
    }

    int write(long nodeId, long handle, ZeroCopyReader src, int size, long offset,
            org.jvirtiofs.api.OpenFlags flags, int writeFlags) throws FsException, PosixException {
        dir.checkWritable();
        if (handle != NO_HANDLE) {
            return write(dir.handles.file(handle).fd(), src, size, offset, writeFlags);
        }
        // the guest's own offsets, also for its appends: no O_APPEND, which would ignore them
        int fd = openWithoutHandle(nodeId,
                OpenFlags.O_WRONLY | (flags.bits() & (OpenFlags.O_SYNC | OpenFlags.O_DSYNC)));
        int written;
        try {
            written = write(fd, src, size, offset, writeFlags);
        } catch (PosixException | RuntimeException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        Io.close(fd); // what a FLUSH would have reported
        return written;
    }

    private int write(int fd, ZeroCopyReader src, int size, long offset, int writeFlags)
            throws PosixException {
        if ((writeFlags & FuseFilesystem.FUSE_WRITE_KILL_SUIDGID) != 0) {
            AttrOps.killSuidgid(dir, fd);
        }
        int total = 0;
        while (total < size) {
            ByteBuffer[] buffers = src.positionedBuffers(size - total);
            if (buffers.length == 0) {
                break;
            }
            long n = Io.pwritev(fd, buffers, offset + total);
            if (n <= 0) {
                break;
            }
            src.consume((int) n);
            total += (int) n;
        }
        return total;
    }

    /**
     * close(2) in the guest: close a duplicate so the host reports its errors, drop POSIX locks.
     * Sent only for the opens answered without FOPEN_NOFLUSH (see {@link #noFlush}).
     */
    void flush(long nodeId, long handle, long lockOwner) throws FsException, PosixException {
        if (handle == NO_HANDLE) {
            // nothing is open to flush, and without host locks none to end: the guest stops asking
            throw FsException.of(Errno.ENOSYS);
        }
        OpenFile file = dir.handles.file(handle);
        dir.locks.release(nodeId, lockOwner);
        Io.close(Io.dup(file.fd()));
    }

    void release(long nodeId, long handle, boolean flush, long lockOwner) {
        if (flush) {
            dir.locks.release(nodeId, lockOwner);
        }
        OpenFile file = dir.handles.fileOrNull(handle);
        if (file != null) {
            // the guest's OFD locks taken through this handle end with it
            file.lockOwners().forEach(owner -> dir.locks.release(nodeId, owner));
        }
        dir.handles.releaseFile(handle); // closing the fd also drops its flock locks
    }

    void fsync(long nodeId, long handle, boolean datasync) throws FsException, PosixException {
        if (handle != NO_HANDLE) {
            sync(dir.handles.file(handle).fd(), datasync);
            return;
        }
        ReadFds.Kept kept = dir.inodes.readFds.acquire(fileWithoutHandle(nodeId));
        try {
            sync(kept.fd, datasync); // fsync(2) writes the file's data through any of its fds
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    /** fsync or fdatasync of {@code fd}. */
    static void sync(int fd, boolean datasync) throws PosixException {
        if (datasync) {
            Io.fdatasync(fd);
        } else {
            Io.fsync(fd);
        }
    }

    void fallocate(long nodeId, long handle, int mode, long offset, long length)
            throws FsException, PosixException {
        dir.checkWritable();
        int fd = fdFor(nodeId, handle, OpenFlags.O_WRONLY);
        try {
            Io.fallocate(fd, mode, offset, length);
        } finally {
            closeIfOwn(handle, fd);
        }
    }

    long lseek(long nodeId, long handle, long offset, int whence) throws FsException, PosixException {
        if (whence != FuseFilesystem.SEEK_DATA && whence != FuseFilesystem.SEEK_HOLE) {
            throw FsException.of(Errno.EINVAL);
        }
        if (handle != NO_HANDLE) {
            return Io.lseek(dir.handles.file(handle).fd(), offset, whence);
        }
        ReadFds.Kept kept = dir.inodes.readFds.acquire(fileWithoutHandle(nodeId));
        try {
            return Io.lseek(kept.fd, offset, whence);
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    long copyFileRange(long nodeIn, long handleIn, long offsetIn, long nodeOut, long handleOut,
            long offsetOut, long length, long flags) throws FsException, PosixException {
        dir.checkWritable();
        if (flags != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        int in = fdFor(nodeIn, handleIn, OpenFlags.O_RDONLY);
        try {
            int out = fdFor(nodeOut, handleOut, OpenFlags.O_WRONLY);
            try {
                return Io.copyFileRange(in, offsetIn, out, offsetOut, Math.min(length, MAX_COPY));
            } finally {
                closeIfOwn(handleOut, out);
            }
        } finally {
            closeIfOwn(handleIn, in);
        }
    }

    /** The fd of {@code handle}, or for {@link #NO_HANDLE} one of the inode's own (see {@link #closeIfOwn}). */
    private int fdFor(long nodeId, long handle, int flags) throws FsException, PosixException {
        return handle == NO_HANDLE ? openWithoutHandle(nodeId, flags) : dir.handles.file(handle).fd();
    }

    private static void closeIfOwn(long handle, int fd) {
        if (handle == NO_HANDLE) {
            Descriptors.closeQuietly(fd);
        }
    }

    /** The regular file {@code nodeId} opened for one request of a handle-less guest file. */
    private int openWithoutHandle(long nodeId, int flags) throws FsException, PosixException {
        return dir.inodes.reopen(fileWithoutHandle(nodeId), flags | OpenFlags.O_CLOEXEC);
    }

    /** The node handle 0 names: only ever a regular file the guest opened without OPEN. */
    private Inode fileWithoutHandle(long nodeId) throws FsException {
        Inode inode = dir.inodes.get(nodeId);
        if (!inode.isRegularFile()) {
            throw FsException.of(Errno.EBADF);
        }
        return inode;
    }

    void syncfs(long nodeId) throws FsException, PosixException {
        Inode inode = dir.inodes.get(nodeId);
        // syncfs refuses O_PATH fds; any readable fd on the same filesystem will do
        int fd = dir.inodes.reopen(inode.isDirectory() || inode.isRegularFile() ? inode : dir.inodes.root(),
                OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
        try {
            Mounts.syncfs(fd);
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    private Credentials actAs(Context ctx) throws FsException {
        return Credentials.actAs(ctx, dir.options.uids(), dir.options.gids());
    }
}

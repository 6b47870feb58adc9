package org.jvirtiofs.fs.passthrough;

import java.time.Duration;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.posix.DirEntry64;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/**
 * Directory listing: opendir keeps a host directory fd per handle, and readdir(plus) passes the
 * host's d_off values through as cookies, seeking only when the kernel resumes elsewhere.
 *
 * <p>Zero-message opendirs ({@link SharedDir#noOpendir}): OPENDIR is answered ENOSYS, after which
 * the guest sends no OPENDIR and no RELEASEDIR, and lists with handle {@link FileOps#NO_HANDLE}.
 * Such a listing uses the stream {@link ReadFds} keeps for each of the directories used last.
 */
final class DirOps {
    private final SharedDir dir;

    DirOps(SharedDir dir) {
        this.dir = dir;
    }

    OpenReply opendir(long nodeId) throws FsException, PosixException {
        if (dir.noOpendir) {
            throw FsException.of(Errno.ENOSYS);
        }
        Inode inode = dir.inodes.get(nodeId);
        if (!inode.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR);
        }
        int fd = dir.inodes.reopen(inode, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        return new OpenReply(dir.handles.add(new DirectoryStream(fd)), dir.cache.opendirFlags());
    }

    void readdir(long nodeId, long handle, long offset, DirEntrySink sink)
            throws FsException, PosixException {
        if (handle != FileOps.NO_HANDLE) {
            readdir(dir.handles.dir(handle), offset, sink);
            return;
        }
        ReadFds.Kept kept = dir.inodes.readFds.acquire(directoryWithoutHandle(nodeId));
        try {
            readdir(kept.stream, offset, sink);
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    private static void readdir(DirectoryStream stream, long offset, DirEntrySink sink) throws PosixException {
        synchronized (stream) {
            stream.seek(offset);
            for (DirEntry64 e = stream.peek(); e != null; e = stream.peek()) {
                if (!sink.add(new DirEntry(e.ino(), e.off(), e.type(), FileName.of(e.rawName())))) {
                    return;
                }
                stream.advance();
            }
        }
    }

    /**
     * As readdir, with a lookup of each name. A name that vanished or cannot be opened gets a
     * negative entry rather than failing the listing, whose earlier entries already counted.
     */
    void readdirplus(long nodeId, long handle, long offset, DirEntryPlusSink sink)
            throws FsException, PosixException {
        if (handle != FileOps.NO_HANDLE) {
            readdirplus(dir.inodes.get(nodeId), dir.handles.dir(handle), offset, sink);
            return;
        }
        Inode parent = directoryWithoutHandle(nodeId);
        ReadFds.Kept kept = dir.inodes.readFds.acquire(parent);
        try {
            readdirplus(parent, kept.stream, offset, sink);
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    private void readdirplus(Inode parent, DirectoryStream stream, long offset, DirEntryPlusSink sink)
            throws PosixException {
        synchronized (stream) {
            stream.seek(offset);
            boolean added = false;
            for (DirEntry64 e = next(stream, added); e != null; e = next(stream, added)) {
                FileName name = FileName.of(e.rawName());
                if (!sink.fits(name)) {
                    return;
                }
                Entry entry = listed(parent, name);
                if (!sink.add(new DirEntry(e.ino(), e.off(), e.type(), name), entry)) {
                    if (!entry.isNegative()) {
                        dir.inodes.forget(entry.nodeId(), 1);
                    }
                    return;
                }
                added = true;
                stream.advance();
            }
        }
    }

    /** The next entry; once some were added (and counted), an error ends the listing early. */
    private static DirEntry64 next(DirectoryStream stream, boolean added) throws PosixException {
        try {
            return stream.peek();
        } catch (PosixException e) {
            if (added) {
                return null;
            }
            throw e;
        }
    }

    private Entry listed(Inode parent, FileName name) {
        if (name.isDotOrDotDot()) {
            return Entry.negative(Duration.ZERO); // the kernel ignores their lookup part
        }
        try {
            return dir.lookup(parent, name.toByteArray());
        } catch (FsException | PosixException e) {
            return Entry.negative(Duration.ZERO);
        }
    }

    void releasedir(long handle) {
        dir.handles.releaseDir(handle);
    }

    void fsyncdir(long nodeId, long handle, boolean datasync) throws FsException, PosixException {
        if (handle != FileOps.NO_HANDLE) {
            FileOps.sync(dir.handles.dir(handle).fd(), datasync);
            return;
        }
        ReadFds.Kept kept = dir.inodes.readFds.acquire(directoryWithoutHandle(nodeId));
        try {
            FileOps.sync(kept.fd, datasync);
        } finally {
            dir.inodes.readFds.release(kept);
        }
    }

    /** The node handle 0 names in a directory request: only ever a directory. */
    private Inode directoryWithoutHandle(long nodeId) throws FsException {
        Inode inode = dir.inodes.get(nodeId);
        if (!inode.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR);
        }
        return inode;
    }
}

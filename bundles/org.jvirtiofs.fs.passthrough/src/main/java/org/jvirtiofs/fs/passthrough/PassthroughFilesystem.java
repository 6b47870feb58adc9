package org.jvirtiofs.fs.passthrough;

import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host directory served to a guest: the {@link FuseFilesystem} that hands each request to its
 * operation group ({@link NameOps}, {@link AttrOps}, {@link FileOps}, {@link DirOps},
 * {@link XattrOps}, {@link LockOps}) and turns host errors into the same errno for the guest.
 *
 * <p>Nothing is ever resolved as a path from the share root: every name is opened relative to
 * its parent's fd and confined (see {@link Confinement}). A read-only share refuses every change
 * with EROFS. Thread-safe: the tables are concurrent and each directory stream is locked.
 */
public final class PassthroughFilesystem implements FuseFilesystem {
    private static final Logger LOG = LoggerFactory.getLogger(PassthroughFilesystem.class);

    private final SharedDir dir;
    private final NameOps names;
    private final AttrOps attrs;
    private final FileOps files;
    private final DirOps dirs;
    private final XattrOps xattrs;
    private final LockOps locks;

    /**
     * Opens the share's source directory.
     *
     * @throws FsException if the source cannot be opened, e.g. ENOENT or ENOTDIR
     */
    public PassthroughFilesystem(PassthroughOptions options) throws FsException {
        try {
            dir = new SharedDir(options);
        } catch (PosixException e) {
            throw FsException.of(e.errno(), "source " + options.source() + ": " + e.getMessage());
        }
        names = new NameOps(dir);
        attrs = new AttrOps(dir);
        files = new FileOps(dir);
        dirs = new DirOps(dir);
        xattrs = new XattrOps(dir);
        locks = new LockOps(dir);
    }

    /** How many nodes the guest holds, the root included (for tests and statistics). */
    public int nodeCount() {
        return dir.inodes.size();
    }

    /** How many read-only descriptors of files read without a handle are kept (for tests). */
    int keptReadFds() {
        return dir.inodes.readFds.size();
    }

    /** How many file and directory handles are open (for tests and statistics). */
    public int handleCount() {
        return dir.handles.size();
    }

    @Override
    public Set<FsCapability> init(Set<FsCapability> offered) {
        Set<FsCapability> wanted = EnumSet.of(FsCapability.ATOMIC_O_TRUNC,
                FsCapability.EXPORT_SUPPORT, FsCapability.PARALLEL_DIROPS,
                FsCapability.HANDLE_KILLPRIV_V2);
        if (dir.options.listsPlus()) {
            wanted.add(FsCapability.DO_READDIRPLUS);
            wanted.add(FsCapability.READDIRPLUS_AUTO);
        }
        if (dir.options.posixLocks()) {
            wanted.add(FsCapability.POSIX_LOCKS);
        }
        if (dir.options.flock()) {
            wanted.add(FsCapability.FLOCK_LOCKS);
        }
        if (dir.options.writeback()) {
            wanted.add(FsCapability.WRITEBACK_CACHE);
        }
        if (dir.options.announceSubmounts()) {
            wanted.add(FsCapability.SUBMOUNTS);
        }
        if (dir.options.allowMmap()) {
            wanted.add(FsCapability.DIRECT_IO_ALLOW_MMAP);
        }
        if (dir.options.opensWithoutMessages() && offered.contains(FsCapability.NO_OPEN_SUPPORT)) {
            // the kernel would take an O_TRUNC open as done, and no OPEN would do it
            wanted.remove(FsCapability.ATOMIC_O_TRUNC);
            wanted.add(FsCapability.NO_OPEN_SUPPORT);
            wanted.add(FsCapability.NO_OPENDIR_SUPPORT);
        }
        wanted.retainAll(offered);
        dir.noOpen = wanted.contains(FsCapability.NO_OPEN_SUPPORT);
        dir.noOpendir = wanted.contains(FsCapability.NO_OPENDIR_SUPPORT);
        dir.writeback = wanted.contains(FsCapability.WRITEBACK_CACHE);
        dir.submounts = wanted.contains(FsCapability.SUBMOUNTS);
        LOG.debug("init: {}", wanted);
        return wanted;
    }

    @Override
    public void destroy() {
        dir.handles.close();
        dir.locks.close();
        dir.inodes.clear();
    }

    @Override
    public void close() {
        dir.close();
    }

    /** Describes the nodes, handles and locks the guest holds, for a replacement provider. */
    @Override
    public Handover handover() throws FsException {
        return PassthroughHandover.export(dir);
    }

    /** Takes over what a previous provider handed over (before any request is served). */
    void takeOver(Handover from) throws FsException {
        PassthroughHandover.restore(dir, from);
    }

    @Override
    public Entry lookup(Context ctx, long parent, FileName name) throws FsException {
        return host(() -> names.lookup(parent, name));
    }

    @Override
    public void forget(Context ctx, long nodeId, long nlookup) {
        dir.inodes.forget(nodeId, nlookup);
    }

    @Override
    public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) throws FsException {
        return host(() -> attrs.getattr(nodeId, handle));
    }

    @Override
    public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid,
            OptionalLong handle) throws FsException {
        return host(() -> attrs.setattr(nodeId, attr, valid, handle));
    }

    @Override
    public byte[] readlink(Context ctx, long nodeId) throws FsException {
        return host(() -> names.readlink(nodeId));
    }

    @Override
    public Entry symlink(Context ctx, long parent, FileName name, byte[] target)
            throws FsException {
        dir.checkWritable();
        return host(() -> names.symlink(ctx, parent, name, target));
    }

    @Override
    public Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask)
            throws FsException {
        dir.checkWritable();
        return host(() -> names.mknod(ctx, parent, name, mode, rdev, umask));
    }

    @Override
    public Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask)
            throws FsException {
        dir.checkWritable();
        return host(() -> names.mkdir(ctx, parent, name, mode, umask));
    }

    @Override
    public void unlink(Context ctx, long parent, FileName name) throws FsException {
        dir.checkWritable();
        run(() -> names.unlink(parent, name, false));
    }

    @Override
    public void rmdir(Context ctx, long parent, FileName name) throws FsException {
        dir.checkWritable();
        run(() -> names.unlink(parent, name, true));
    }

    @Override
    public void rename(Context ctx, long oldParent, FileName oldName, long newParent,
            FileName newName, int flags) throws FsException {
        dir.checkWritable();
        run(() -> names.rename(oldParent, oldName, newParent, newName, flags));
    }

    @Override
    public Entry link(Context ctx, long nodeId, long newParent, FileName newName)
            throws FsException {
        dir.checkWritable();
        return host(() -> names.link(nodeId, newParent, newName));
    }

    @Override
    public OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid)
            throws FsException {
        return host(() -> files.open(nodeId, flags, killSuidgid));
    }

    @Override
    public CreateReply create(Context ctx, long parent, FileName name, int mode, OpenFlags flags,
            int umask, boolean killSuidgid) throws FsException {
        return host(() -> files.create(ctx, parent, name, mode, flags, umask));
    }

    @Override
    public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags) throws FsException {
        try {
            return files.read(nodeId, handle, dst, size, offset);
        } catch (PosixException e) {
            throw Errors.fs(e);
        }
    }

    @Override
    public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags)
            throws FsException {
        try {
            return files.write(nodeId, handle, src, size, offset, flags, writeFlags);
        } catch (PosixException e) {
            throw Errors.fs(e);
        }
    }

    @Override
    public void flush(Context ctx, long nodeId, long handle, long lockOwner) throws FsException {
        run(() -> files.flush(nodeId, handle, lockOwner));
    }

    @Override
    public void fsync(Context ctx, long nodeId, long handle, boolean datasync)
            throws FsException {
        run(() -> files.fsync(nodeId, handle, datasync));
    }

    @Override
    public void release(Context ctx, long nodeId, long handle, OpenFlags flags, boolean flush,
            boolean flockRelease, long lockOwner) {
        files.release(nodeId, handle, flush, lockOwner);
    }

    @Override
    public StatFs statfs(Context ctx, long nodeId) throws FsException {
        return host(() -> attrs.statfs(nodeId));
    }

    @Override
    public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags,
            int extFlags) throws FsException {
        run(() -> xattrs.setxattr(nodeId, name, value, flags));
    }

    @Override
    public byte[] getxattr(Context ctx, long nodeId, String name, int size) throws FsException {
        return host(() -> xattrs.getxattr(nodeId, name));
    }

    @Override
    public byte[] listxattr(Context ctx, long nodeId, int size) throws FsException {
        return host(() -> xattrs.listxattr(nodeId));
    }

    @Override
    public void removexattr(Context ctx, long nodeId, String name) throws FsException {
        run(() -> xattrs.removexattr(nodeId, name));
    }

    @Override
    public OpenReply opendir(Context ctx, long nodeId, OpenFlags flags) throws FsException {
        return host(() -> dirs.opendir(nodeId));
    }

    @Override
    public void readdir(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntrySink sink) throws FsException {
        run(() -> dirs.readdir(nodeId, handle, offset, sink));
    }

    @Override
    public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntryPlusSink sink) throws FsException {
        run(() -> dirs.readdirplus(nodeId, handle, offset, sink));
    }

    @Override
    public void releasedir(Context ctx, long nodeId, long handle, OpenFlags flags) {
        dirs.releasedir(handle);
    }

    @Override
    public void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync)
            throws FsException {
        run(() -> dirs.fsyncdir(nodeId, handle, datasync));
    }

    @Override
    public FileLock getlk(Context ctx, long nodeId, long handle, long owner, FileLock lock)
            throws FsException {
        return host(() -> locks.getlk(nodeId, handle, owner, lock));
    }

    @Override
    public void setlk(Context ctx, long nodeId, long handle, long owner, FileLock lock,
            boolean flock, boolean sleep) throws FsException {
        run(() -> locks.setlk(nodeId, handle, owner, lock, flock, sleep));
    }

    @Override
    public void fallocate(Context ctx, long nodeId, long handle, int mode, long offset,
            long length) throws FsException {
        run(() -> files.fallocate(nodeId, handle, mode, offset, length));
    }

    @Override
    public long lseek(Context ctx, long nodeId, long handle, long offset, int whence)
            throws FsException {
        return host(() -> files.lseek(nodeId, handle, offset, whence));
    }

    @Override
    public long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn,
            long nodeOut, long handleOut, long offsetOut, long length, long flags)
            throws FsException {
        return host(() -> files.copyFileRange(nodeIn, handleIn, offsetIn, nodeOut, handleOut,
                offsetOut, length, flags));
    }

    @Override
    public void syncfs(Context ctx, long nodeId) throws FsException {
        run(() -> files.syncfs(nodeId));
    }

    @Override
    public CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags, int umask)
            throws FsException {
        return host(() -> files.tmpfile(ctx, parent, mode, flags, umask));
    }

    /** A host call that returns a value. */
    @FunctionalInterface
    private interface HostCall<T> {
        T call() throws FsException, PosixException;
    }

    /** A host call without a result. */
    @FunctionalInterface
    private interface HostAction {
        void run() throws FsException, PosixException;
    }

    private static <T> T host(HostCall<T> call) throws FsException {
        try {
            return call.call();
        } catch (PosixException e) {
            throw Errors.fs(e);
        }
    }

    private static void run(HostAction action) throws FsException {
        try {
            action.run();
        } catch (PosixException e) {
            throw Errors.fs(e);
        }
    }
}

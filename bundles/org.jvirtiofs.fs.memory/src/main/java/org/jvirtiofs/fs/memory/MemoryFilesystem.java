package org.jvirtiofs.fs.memory;

import java.time.InstantSource;
import java.util.EnumSet;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filesystem that lives in memory: the reference implementation of {@link FuseFilesystem}.
 *
 * <p>This class only dispatches: it resolves node ids and handles, takes the tree lock, and hands
 * the work to {@link Namespace} and {@link Rename} (names), {@link RegularFile} and
 * {@link FileData} (contents), {@link Directory} (listings), {@link NodeTable} (lookup counts
 * and node lifetime) and {@link OpenFiles} (handles).
 *
 * <p><b>Locking.</b> Two levels, always taken in this order, which is why they cannot deadlock:
 * <ol>
 * <li>The <em>tree lock</em>, a read-write lock every operation holds. Operations that add,
 * remove or move names (mknod, mkdir, symlink, link, create, tmpfile, unlink, rmdir, rename) and
 * DESTROY hold it exclusively; everything else (lookup, getattr, setattr, read, write, readdir,
 * xattrs, forget, release...) shares it. So a name never changes under a lookup or a listing,
 * and a check like "the target directory is empty" still holds when the rename acts on it.
 * <li>A node's <em>monitor</em>, guarding its attributes, counts, data and xattrs. Taken inside
 * the tree lock, one node at a time (copy_file_range copies through a buffer rather than holding
 * two). Reads and writes of different files run in parallel; those of one file take turns.
 * </ol>
 * Node ids and handles live in concurrent maps, and space is reserved with atomics, so FORGET
 * and RELEASE drop nodes under the shared lock.
 *
 * <p><b>Choices.</b> Access times follow relatime ({@link Node#touchAccessed}). POSIX and flock
 * locks are left to the guest kernel (GETLK/SETLK answer ENOSYS and POSIX_LOCKS is not asked
 * for): only one guest ever mounts a memory filesystem, so locks kept in its kernel are exact,
 * and it can wait for them, which a provider cannot without blocking a queue worker.
 * RENAME_WHITEOUT is implemented ({@link Rename}). Like tmpfs, the contents last as long as the
 * mount: DESTROY (unmount) empties the tree.
 */
public final class MemoryFilesystem implements FuseFilesystem {
    private static final Logger LOG = LoggerFactory.getLogger(MemoryFilesystem.class);

    private static final Set<FsCapability> CAPABILITIES = EnumSet.of(
            FsCapability.ATOMIC_O_TRUNC, FsCapability.EXPORT_SUPPORT,
            FsCapability.DO_READDIRPLUS, FsCapability.READDIRPLUS_AUTO,
            FsCapability.PARALLEL_DIROPS, FsCapability.HANDLE_KILLPRIV_V2,
            FsCapability.CACHE_SYMLINKS);

    private final ReentrantReadWriteLock tree = new ReentrantReadWriteLock();
    private final Held readHeld = tree.readLock()::unlock;
    private final Held writeHeld = tree.writeLock()::unlock;
    private final FileClock clock;
    private final Replies replies;
    private final Capacity capacity;
    private final NodeTable nodes;
    private final OpenFiles handles = new OpenFiles();
    private final Namespace namespace;
    private final Rename rename;
    private final Listing listing;

    /** An empty filesystem with the given limits and root. */
    public MemoryFilesystem(MemoryOptions options) {
        this(options, FileClock.system());
    }

    /** As {@link #MemoryFilesystem(MemoryOptions)}, with a clock tests can set. */
    MemoryFilesystem(MemoryOptions options, InstantSource clock) {
        this(options, FileClock.of(clock));
    }

    private MemoryFilesystem(MemoryOptions options, FileClock clock) {
        this.clock = clock;
        this.replies = new Replies(CachePolicy.of(options.cache()), Math.max(1, clock.millis()));
        this.capacity = new Capacity(options.size(), options.inodes());
        this.nodes = new NodeTable(capacity, new Directory(FUSE_ROOT_ID, options.rootMode(),
                options.rootUid(), options.rootGid(), null, now()));
        this.namespace = new Namespace(nodes, capacity);
        this.rename = new Rename(nodes, namespace);
        this.listing = new Listing(nodes, replies);
    }

    /** How many nodes are alive, the root included: 1 after every reference is gone. */
    public int nodeCount() {
        return nodes.size();
    }

    // ---- lifecycle

    @Override
    public Set<FsCapability> init(Set<FsCapability> offered) {
        Set<FsCapability> accepted = EnumSet.noneOf(FsCapability.class);
        accepted.addAll(offered);
        accepted.retainAll(CAPABILITIES);
        LOG.debug("init: accepting {}", accepted);
        return accepted;
    }

    @Override
    public void destroy() {
        try (Held held = writing()) {
            int before = nodes.size();
            handles.clear();
            nodes.clear();
            LOG.debug("destroy: dropped {} nodes", before - nodes.size());
        }
    }

    @Override
    public void close() {
        destroy();
    }

    // ---- names

    @Override
    public Entry lookup(Context ctx, long parent, FileName name) throws FsException {
        try (Held held = reading()) {
            Directory dir = nodes.directory(parent);
            Node node = resolve(dir, name);
            return node != null ? replies.reference(node) : replies.missing();
        }
    }

    @Override
    public void forget(Context ctx, long nodeId, long nlookup) {
        try (Held held = reading()) {
            Node node = nodes.find(nodeId);
            if (node == null) {
                LOG.debug("forget of unknown node {}", nodeId);
                return;
            }
            nodes.forget(node, nlookup);
        }
    }

    @Override
    public Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask)
            throws FsException {
        try (Held held = writing()) {
            return replies.reference(namespace.mknod(ctx, nodes.directory(parent), name, mode, rdev, umask,
                    now()));
        }
    }

    @Override
    public Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask)
            throws FsException {
        try (Held held = writing()) {
            return replies.reference(namespace.mkdir(ctx, nodes.directory(parent), name, mode, umask,
                    now()));
        }
    }

    @Override
    public Entry symlink(Context ctx, long parent, FileName name, byte[] target)
            throws FsException {
        try (Held held = writing()) {
            return replies.reference(namespace.symlink(ctx, nodes.directory(parent), name, target, now()));
        }
    }

    @Override
    public Entry link(Context ctx, long nodeId, long newParent, FileName newName)
            throws FsException {
        try (Held held = writing()) {
            Node node = nodes.get(nodeId);
            namespace.link(node, nodes.directory(newParent), newName, now());
            return replies.reference(node);
        }
    }

    @Override
    public void unlink(Context ctx, long parent, FileName name) throws FsException {
        try (Held held = writing()) {
            namespace.unlink(nodes.directory(parent), name, now());
        }
    }

    @Override
    public void rmdir(Context ctx, long parent, FileName name) throws FsException {
        try (Held held = writing()) {
            namespace.rmdir(nodes.directory(parent), name, now());
        }
    }

    @Override
    public void rename(Context ctx, long oldParent, FileName oldName, long newParent,
            FileName newName, int flags) throws FsException {
        try (Held held = writing()) {
            rename.rename(ctx, nodes.directory(oldParent), oldName, nodes.directory(newParent),
                    newName, flags, now());
        }
    }

    // ---- attributes

    @Override
    public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) throws FsException {
        try (Held held = reading()) {
            return replies.attr(nodes.get(nodeId));
        }
    }

    @Override
    public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid,
            OptionalLong handle) throws FsException {
        try (Held held = reading()) {
            Node node = nodes.get(nodeId);
            node.setattr(attr, valid, now());
            return replies.attr(node);
        }
    }

    @Override
    public byte[] readlink(Context ctx, long nodeId) throws FsException {
        try (Held held = reading()) {
            if (nodes.get(nodeId) instanceof Symlink symlink) {
                return symlink.target();
            }
            throw FsException.of(Errno.EINVAL);
        }
    }

    @Override
    public void access(Context ctx, long nodeId, int mask) throws FsException {
        try (Held held = reading()) {
            Access.check(ctx, nodes.get(nodeId).attr(), mask);
        }
    }

    @Override
    public StatFs statfs(Context ctx, long nodeId) {
        return capacity.statfs();
    }

    // ---- xattrs

    @Override
    public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags,
            int extFlags) throws FsException {
        try (Held held = reading()) {
            nodes.get(nodeId).setXattr(name, value, flags, now());
        }
    }

    @Override
    public byte[] getxattr(Context ctx, long nodeId, String name, int size) throws FsException {
        try (Held held = reading()) {
            return nodes.get(nodeId).getXattr(name);
        }
    }

    @Override
    public byte[] listxattr(Context ctx, long nodeId, int size) throws FsException {
        try (Held held = reading()) {
            return nodes.get(nodeId).listXattrs();
        }
    }

    @Override
    public void removexattr(Context ctx, long nodeId, String name) throws FsException {
        try (Held held = reading()) {
            nodes.get(nodeId).removeXattr(name, now());
        }
    }

    // ---- files

    @Override
    public OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid)
            throws FsException {
        try (Held held = reading()) {
            RegularFile file = RegularFile.of(nodes.get(nodeId));
            return openFile(file, flags, killSuidgid);
        }
    }

    @Override
    public CreateReply create(Context ctx, long parent, FileName name, int mode,
            OpenFlags flags, int umask, boolean killSuidgid) throws FsException {
        try (Held held = writing()) {
            Directory dir = nodes.directory(parent);
            Node existing = dir.get(name);
            if (existing != null && flags.isExclusive()) {
                throw FsException.of(Errno.EEXIST);
            }
            // a name created since the guest's negative lookup is simply opened, as open(2) does
            RegularFile file = existing != null ? RegularFile.of(existing)
                    : namespace.createFile(ctx, dir, name, mode, umask, now());
            OpenReply open = openFile(file, flags, killSuidgid);
            return new CreateReply(replies.reference(file), open);
        }
    }

    @Override
    public CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags, int umask)
            throws FsException {
        try (Held held = writing()) {
            RegularFile file = namespace.tmpfile(ctx, nodes.directory(parent), mode, umask, now());
            OpenReply open = openFile(file, flags, false);
            return new CreateReply(replies.reference(file), open);
        }
    }

    @Override
    public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags) throws FsException {
        try (Held held = reading()) {
            RegularFile file = handles.file(handle, nodeId, OpenFlags::canRead);
            return file.read(offset, size, dst, clock);
        }
    }

    @Override
    public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags)
            throws FsException {
        try (Held held = reading()) {
            RegularFile file = handles.file(handle, nodeId, OpenFlags::canWrite);
            return file.write(offset, size, src, flags.isAppend(),
                    (writeFlags & FUSE_WRITE_KILL_SUIDGID) != 0, clock.nanos());
        }
    }

    @Override
    public void fallocate(Context ctx, long nodeId, long handle, int mode, long offset,
            long length) throws FsException {
        try (Held held = reading()) {
            handles.file(handle, nodeId, OpenFlags::canWrite).fallocate(mode, offset, length, now());
        }
    }

    @Override
    public long lseek(Context ctx, long nodeId, long handle, long offset, int whence)
            throws FsException {
        try (Held held = reading()) {
            return handles.file(handle, nodeId, flags -> true).seek(offset, whence);
        }
    }

    @Override
    public long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn,
            long nodeOut, long handleOut, long offsetOut, long length, long flags)
            throws FsException {
        try (Held held = reading()) {
            if (flags != 0) {
                throw FsException.of(Errno.EINVAL);
            }
            RegularFile from = handles.file(handleIn, nodeIn, OpenFlags::canRead);
            RegularFile to = handles.file(handleOut, nodeOut, OpenFlags::canWrite);
            return FileCopy.copy(from, offsetIn, to, offsetOut, length, now());
        }
    }

    /** Nothing to flush: every write is already where reads find it. */
    @Override
    public void flush(Context ctx, long nodeId, long handle, long lockOwner) {
    }

    /** Nothing is more durable than memory gets. */
    @Override
    public void fsync(Context ctx, long nodeId, long handle, boolean datasync) {
    }

    @Override
    public void release(Context ctx, long nodeId, long handle, OpenFlags flags, boolean flush,
            boolean flockRelease, long lockOwner) {
        close(handle);
    }

    // ---- directories

    @Override
    public OpenReply opendir(Context ctx, long nodeId, OpenFlags flags) throws FsException {
        try (Held held = reading()) {
            return replies.opendir(handles.open(nodes.directory(nodeId), flags));
        }
    }

    @Override
    public void readdir(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntrySink sink) throws FsException {
        try (Held held = reading()) {
            Directory dir = handles.directory(handle, nodeId);
            listing.readdir(dir, offset, sink);
            dir.touchAccessed(clock);
        }
    }

    @Override
    public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntryPlusSink sink) throws FsException {
        try (Held held = reading()) {
            Directory dir = handles.directory(handle, nodeId);
            listing.readdirplus(dir, offset, sink);
            dir.touchAccessed(clock);
        }
    }

    @Override
    public void releasedir(Context ctx, long nodeId, long handle, OpenFlags flags) {
        close(handle);
    }

    @Override
    public void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync) {
    }

    @Override
    public void syncfs(Context ctx, long nodeId) {
    }

    // ---- helpers

    /** A name in {@code dir}; "." and ".." arrive only with EXPORT_SUPPORT. */
    private static Node resolve(Directory dir, FileName name) throws FsException {
        if (name.length() > Namespace.NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG);
        }
        if (name.equals(FileName.DOT)) {
            return dir;
        }
        return name.equals(FileName.DOT_DOT) ? dir.parent() : dir.get(name);
    }

    private OpenReply openFile(RegularFile file, OpenFlags flags, boolean killSuidgid)
            throws FsException {
        if (flags.isTruncate() && flags.canWrite()) {
            file.truncateOnOpen(killSuidgid, now());
        }
        return replies.open(handles.open(file, flags));
    }

    private void close(long handle) {
        try (Held held = reading()) {
            Node node = handles.close(handle);
            if (node != null) {
                nodes.closed(node);
            }
        }
    }

    private Timestamp now() {
        return Timestamp.ofEpochNanos(clock.nanos());
    }

    private Held reading() {
        tree.readLock().lock();
        return readHeld;
    }

    private Held writing() {
        tree.writeLock().lock();
        return writeHeld;
    }

    /** A lock held until the end of a try-with-resources block. */
    private interface Held extends AutoCloseable {
        @Override
        void close();
    }
}

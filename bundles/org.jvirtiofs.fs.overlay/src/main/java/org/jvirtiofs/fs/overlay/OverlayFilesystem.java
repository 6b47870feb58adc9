package org.jvirtiofs.fs.overlay;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.DataStamp;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.RenameFlags;
import org.jvirtiofs.posix.Stat;
import org.jvirtiofs.posix.ThisProcess;
import org.jvirtiofs.posix.Xattrs;

/**
 * Read-only lower layers and a writable upper directory served as one tree, with the semantics
 * of the kernel's overlayfs: see {@link Tree} for resolving, copy-up and whiteouts, and
 * {@link Listing} for merged listings.
 *
 * <p>Differences from overlayfs, by design: renaming a directory that merges lower layers fails
 * with EXDEV (overlayfs does so too unless {@code redirect_dir=on}; {@code mv} then copies);
 * names starting with {@code .wh.} cannot be created (they are OCI whiteouts); RENAME_EXCHANGE
 * and RENAME_WHITEOUT are refused with EINVAL; hard links of a lower file stay one file after
 * copy-up while the share runs (overlayfs needs {@code index=on}), but the link index is not
 * kept across restarts. Every host name is opened confined to its layer (see {@link Host}).
 */
public final class OverlayFilesystem implements FuseFilesystem {
    // as passthrough's FileOps: O_DIRECT too, since requests' buffers meet no alignment
    private static final int NOT_PASSED = OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY
            | OpenFlags.O_NOFOLLOW | OpenFlags.O_PATH | OpenFlags.O_CLOEXEC
            | OpenFlags.O_DIRECT;
    private static final long MAX_COPY = 1L << 30;
    private static final boolean ROOT = ThisProcess.geteuid() == 0;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OverlayFilesystem.class);

    private final Tree tree;
    private final Duration timeout;
    private final int openFlags;
    private final int opendirFlags;
    /** cache=auto: an OPEN keeps the guest's pages of a file unchanged since it last dropped them. */
    private final boolean keepUnchanged;
    /** cache=auto, writable, direct-write on: a lone write-only open writes past the guest's page cache. */
    private final boolean directWrite;
    /** Files opened with direct I/O may be mapped shared where the kernel allows it. */
    private final boolean allowMmap;
    /** Listings carry attributes (READDIRPLUS): not at cache=never, see {@link CacheMode#listsAttributes}. */
    private final boolean listsAttributes;
    private final Map<Long, Object> handles = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /**
     * An open file: the host fd and the flags it was opened with. A file opened read-only on a
     * lower layer moves to the upper copy once there is one, so it sees the writes made through
     * other opens, as with overlayfs (the lower fd stays open until release: a read may be using it).
     */
    private final class OpenFile {
        private final Node node;
        private final int flags;
        private volatile int fd;
        private volatile int lowerFd = -1;

        OpenFile(Node node, int fd, int flags) {
            this.node = node;
            this.fd = fd;
            this.flags = flags;
            if (node != null) {
                node.opened();
                if (node.upperFd < 0) {
                    lowerFd = fd;
                }
            }
        }

        int flags() {
            return flags;
        }

        Node node() {
            return node;
        }

        int fd() throws FsException {
            if (lowerFd >= 0 && fd == lowerFd && node.upperFd >= 0) {
                synchronized (this) {
                    if (fd == lowerFd) {
                        fd = host(() -> tree.host.reopen(node.upperFd, flags));
                    }
                }
            }
            return fd;
        }

        void close() {
            if (node != null) {
                node.released();
            }
            Host.close(fd);
            if (lowerFd != fd) {
                Host.close(lowerFd);
            }
        }
    }

    /** An open directory: its merged listing, taken at opendir. */
    private record OpenDir(Node dir, List<Listing.Item> items) {
    }

    /**
     * Opens the layer directories.
     *
     * @throws FsException if a layer cannot be opened
     */
    public OverlayFilesystem(OverlayOptions options) throws FsException {
        try {
            tree = new Tree(options);
        } catch (PosixException e) {
            throw FsException.of(e.errno(), "overlay layers: " + e.getMessage());
        }
        // as passthrough: virtiofsd's meaning of cache= for a host directory
        CacheMode cache = options.cache();
        timeout = cache.timeout();
        openFlags = cache.openFlags();
        opendirFlags = cache.opendirFlags();
        keepUnchanged = cache == CacheMode.AUTO;
        directWrite = options.directWrite() && cache == CacheMode.AUTO && !options.readonly();
        allowMmap = options.allowMmap();
        listsAttributes = cache.listsAttributes();
    }

    /** How many nodes the guest holds, the root included (for tests and statistics). */
    public int nodeCount() {
        return tree.size();
    }

    /** How many file and directory handles are open (for tests and statistics). */
    public int handleCount() {
        return handles.size();
    }

    @Override
    public Set<FsCapability> init(Set<FsCapability> offered) {
        Set<FsCapability> wanted = EnumSet.of(FsCapability.ATOMIC_O_TRUNC, FsCapability.PARALLEL_DIROPS);
        if (listsAttributes) {
            wanted.add(FsCapability.DO_READDIRPLUS);
            wanted.add(FsCapability.READDIRPLUS_AUTO);
        }
        if (allowMmap) {
            wanted.add(FsCapability.DIRECT_IO_ALLOW_MMAP);
        }
        wanted.retainAll(offered);
        return wanted;
    }

    /**
     * Describes the nodes the guest holds (by path: an overlay node is several layer objects) and
     * the open files (a duplicate of each fd), for a replacement provider.
     */
    @Override
    public Handover handover() throws FsException {
        List<Handover.Node> nodes = new ArrayList<>();
        for (Node n : tree.held()) {
            nodes.add(new Handover.Node(n.id, 0, n.lookups, n.type, tree.pathOf(n), -1));
        }
        List<Handover.Handle> open = new ArrayList<>();
        List<Integer> fds = new ArrayList<>();
        AutoCloseable resources = () -> fds.forEach(Host::close);
        try {
            for (Map.Entry<Long, Object> e : handles.entrySet()) {
                if (e.getValue() instanceof OpenFile f) {
                    int fd = host(() -> Io.dup(f.fd()));
                    fds.add(fd);
                    open.add(new Handover.Handle(e.getKey(), f.node() == null ? 0 : f.node().id, false, f.flags(), fd,
                            Set.of()));
                } else if (e.getValue() instanceof OpenDir d) {
                    open.add(new Handover.Handle(e.getKey(), d.dir().id, true, 0, -1, Set.of()));
                }
            }
        } catch (FsException | RuntimeException e) {
            fds.forEach(Host::close);
            throw e;
        }
        return new Handover(OverlayFilesystemFactory.TYPE, nodes, open, List.of(), resources);
    }

    /**
     * Takes over what a previous provider (of any type) handed over, before any request is
     * served: each node's path is resolved through the layers and keeps its id; open files keep
     * their handle on a duplicate of the descriptor; open directories are listed anew. What no
     * longer resolves is left out, and the guest gets ESTALE for it.
     */
    void takeOver(Handover from) throws FsException {
        tree.reserveIds(from.maxNodeId());
        nextHandle.set(Math.max(nextHandle.get(), from.maxHandle() + 1));
        List<Handover.Node> nodes = new ArrayList<>(from.nodes());
        nodes.sort(java.util.Comparator.comparingInt(n -> n.path() == null ? 0 : depth(n.path())));
        int lost = 0;
        for (Handover.Node n : nodes) {
            if (n.nodeId() == FUSE_ROOT_ID) {
                continue;
            }
            boolean kept = n.path() != null && host(() -> tree.restore(n.nodeId(), n.lookups(), n.type(), n.path()));
            if (!kept) {
                lost++;
            }
        }
        for (Handover.Handle h : from.handles()) {
            Node node = tree.find(h.nodeId());
            if (h.directory()) {
                if (node != null && node.isDirectory()) {
                    List<Listing.Item> items = host(() -> Listing.read(tree.host, node.upperFd, node.dirFds, node.dirLayers));
                    handles.put(h.handle(), new OpenDir(node, items));
                }
            } else if (h.fd() >= 0) {
                int fd = host(() -> Io.dup(h.fd()));
                handles.put(h.handle(), new OpenFile(node, fd, h.flags()));
            }
        }
        if (lost > 0) {
            LOG.info("took over from {}: {} of {} nodes no longer resolve and are stale", from.providerType(), lost,
                    nodes.size());
        }
    }

    private static int depth(byte[] path) {
        int d = 0;
        for (byte b : path) {
            if (b == '/') {
                d++;
            }
        }
        return d;
    }

    @Override
    public void destroy() {
        closeHandles();
        tree.clear();
    }

    @Override
    public void close() {
        closeHandles();
        tree.close();
    }

    private void closeHandles() {
        for (Object h : handles.values()) {
            if (h instanceof OpenFile f) {
                f.close();
            }
        }
        handles.clear();
    }

    // ---------------------------------------------------------------- names

    @Override
    public Entry lookup(Context ctx, long parent, FileName name) throws FsException {
        Node p = tree.get(parent);
        byte[] n = visibleName(name);
        return host(() -> lookup(p, n));
    }

    /** LOOKUP, counted; a lower name of a hard-linked file already copied up is linked first. */
    private Entry lookup(Node p, byte[] name) throws FsException, PosixException {
        Found f;
        Lock read = tree.lock.readLock();
        read.lock();
        try {
            f = tree.resolve(p, name);
            if (!tree.needsLink(f)) {
                return adopted(p, name, f);
            }
            f.close();
        } finally {
            read.unlock();
        }
        return changing(() -> adopted(p, name, tree.resolveForChange(p, name)));
    }

    /** The counted entry of what {@code f} found; ENOENT if nothing is visible. Closes {@code f}. */
    private Entry adopted(Node p, byte[] name, Found f) throws FsException {
        if (!f.visible()) {
            f.close();
            throw FsException.of(Errno.ENOENT);
        }
        Stat st = f.stat();
        Node n = tree.adopt(p, name, f);
        return new Entry(n.id, 0, attr(n, st), timeout, timeout);
    }

    @Override
    public void forget(Context ctx, long nodeId, long nlookup) {
        tree.forget(nodeId, nlookup);
    }

    @Override
    public Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask)
            throws FsException {
        int m = mode & ~(umask & 0777);
        long dev = Stat.makedev((rdev >>> 8) & 0xfff, (rdev & 0xff) | ((rdev >>> 12) & 0xfff00));
        return created(ctx, parent, name, (dir, n) -> Fs.mknodat(dir, n, m, dev), false);
    }

    @Override
    public Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask) throws FsException {
        int m = mode & 07777 & ~(umask & 0777);
        return created(ctx, parent, name, (dir, n) -> Fs.mkdirat(dir, n, m), true);
    }

    @Override
    public Entry symlink(Context ctx, long parent, FileName name, byte[] target) throws FsException {
        return created(ctx, parent, name, (dir, n) -> Fs.symlinkat(target, dir, n), false);
    }

    /** A host call creating {@code name} in the upper directory {@code dir}. */
    @FunctionalInterface
    private interface Creation {
        void create(int dir, byte[] name) throws PosixException;
    }

    /**
     * Creates a name: EEXIST if the guest sees one; the parent is copied up; a whiteout under the
     * name is replaced (a new directory there is made opaque, so the deleted one stays deleted).
     */
    private Entry created(Context ctx, long parent, FileName name, Creation creation, boolean directory)
            throws FsException {
        tree.checkWritable();
        Node p = tree.get(parent);
        byte[] n = newName(name);
        return changing(() -> {
            boolean overWhiteout;
            try (Found f = tree.resolveForChange(p, n)) {
                if (f.visible()) {
                    throw FsException.of(Errno.EEXIST);
                }
                overWhiteout = f.lowerBelow();
            }
            tree.copyUp(p);
            int dir = p.upperFd;
            if (overWhiteout) {
                tree.host.removeDeviceWhiteout(dir, n); // it holds the name: it must go first
            }
            creation.create(dir, n);
            int fd = tree.host.find(dir, n);
            try {
                own(ctx, fd);
                if (directory && overWhiteout) {
                    tree.host.makeOpaque(fd, tree.options.whiteout());
                }
            } finally {
                Host.close(fd);
            }
            if (overWhiteout) {
                tree.host.removeOciWhiteout(dir, n); // only now, so the old object never shows
            }
            return adopted(p, n, tree.resolve(p, n));
        });
    }

    /** Gives a new upper object the guest caller's owner, as creating it as that caller would. */
    private static void own(Context ctx, int fd) throws PosixException {
        if (ROOT && (ctx.uid() != 0 || ctx.gid() != 0)) {
            Fs.fchownat(fd, "", ctx.uid(), ctx.gid(), AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
        }
    }

    @Override
    public byte[] readlink(Context ctx, long nodeId) throws FsException {
        Node n = tree.get(nodeId);
        if (!n.isSymlink()) {
            throw FsException.of(Errno.EINVAL);
        }
        return host(() -> Fs.readlinkat(n.fd(), new byte[0]));
    }

    @Override
    public void unlink(Context ctx, long parent, FileName name) throws FsException {
        remove(parent, name, false);
    }

    @Override
    public void rmdir(Context ctx, long parent, FileName name) throws FsException {
        remove(parent, name, true);
    }

    private void remove(long parent, FileName name, boolean directory) throws FsException {
        tree.checkWritable();
        Node p = tree.get(parent);
        byte[] n = newName(name);
        changing(() -> {
            try (Found f = tree.resolveForChange(p, n)) {
                if (!f.visible()) {
                    throw FsException.of(Errno.ENOENT);
                }
                boolean isDir = f.stat().isDirectory();
                if (directory && !isDir) {
                    throw FsException.of(Errno.ENOTDIR);
                }
                if (!directory && isDir) {
                    throw FsException.of(Errno.EISDIR);
                }
                if (isDir && !tree.isEmpty(f)) {
                    throw FsException.of(Errno.ENOTEMPTY);
                }
                tree.remove(p, n, f);
            }
            return null;
        });
    }

    @Override
    public void rename(Context ctx, long oldParent, FileName oldName, long newParent, FileName newName,
            int flags) throws FsException {
        if ((flags & ~RENAME_NOREPLACE) != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        tree.checkWritable();
        Node from = tree.get(oldParent);
        Node to = tree.get(newParent);
        byte[] o = newName(oldName);
        byte[] n = newName(newName);
        changing(() -> {
            rename(from, o, to, n, flags);
            return null;
        });
    }

    /**
     * Moves a name within the upper: the source is copied up first; where a lower object is left
     * behind under the old name, a whiteout covers it (atomically, with RENAME_WHITEOUT, in the
     * overlayfs format); a directory landing on a lower name is made opaque. A directory that
     * merges lower directories is refused with EXDEV.
     */
    private void rename(Node from, byte[] o, Node to, byte[] n, int flags) throws FsException, PosixException {
        Found s = tree.resolveForChange(from, o);
        Found d = null;
        try {
            if (!s.visible()) {
                throw FsException.of(Errno.ENOENT);
            }
            d = tree.resolveForChange(to, n);
            boolean dir = s.stat().isDirectory();
            if (d.visible()) {
                if ((flags & RENAME_NOREPLACE) != 0) {
                    throw FsException.of(Errno.EEXIST);
                }
                if (s.stat().dev() == d.stat().dev() && s.stat().ino() == d.stat().ino()
                        && (s.upper == null) == (d.upper == null)) {
                    return; // two names of one file: rename does nothing
                }
                boolean targetDir = d.stat().isDirectory();
                if (dir && !targetDir) {
                    throw FsException.of(Errno.ENOTDIR);
                }
                if (!dir && targetDir) {
                    throw FsException.of(Errno.EISDIR);
                }
                if (targetDir && !tree.isEmpty(d)) {
                    throw FsException.of(Errno.ENOTEMPTY);
                }
            }
            if (dir && s.dirFds.length > 0) {
                throw FsException.of(Errno.EXDEV, "a directory merging lower layers is not renamed");
            }
            if (dir && isAncestor(s, to)) {
                throw FsException.of(Errno.EINVAL);
            }
            tree.copyUp(from);
            tree.copyUp(to);
            boolean whiteoutOld = s.lower != null;
            Node moving = tree.known(s);
            if (s.upper == null) {
                tree.copyUp(from, o, s); // closes s
                s = tree.resolve(from, o);
                moving = tree.known(s);
            }
            if (d.upper != null && d.upper.isDirectory()) {
                tree.clearWhiteouts(d.upperFd);
            } else if (d.upperWhiteout) {
                tree.host.removeDeviceWhiteout(to.upperFd, n);
            }
            boolean atomic = false;
            if (whiteoutOld && tree.options.whiteout() == WhiteoutFormat.OVERLAYFS) {
                try {
                    Fs.renameat2(from.upperFd, o, to.upperFd, n, RenameFlags.RENAME_WHITEOUT);
                    atomic = true;
                } catch (PosixException e) {
                    if (e.errno() != Errno.EINVAL && e.errno() != Errno.EOPNOTSUPP) {
                        throw e;
                    }
                }
            }
            if (!atomic) {
                Fs.renameat2(from.upperFd, o, to.upperFd, n, 0);
                if (whiteoutOld) {
                    tree.host.whiteout(from.upperFd, o, tree.options.whiteout());
                }
            }
            if (d.upperWhiteout) {
                tree.host.removeOciWhiteout(to.upperFd, n);
            }
            if (dir && d.lowerBelow()) {
                int fd = tree.host.find(to.upperFd, n);
                try {
                    if (!tree.host.isOpaque(fd)) {
                        tree.host.makeOpaque(fd, tree.options.whiteout());
                    }
                } finally {
                    Host.close(fd);
                }
            }
            if (d.visible()) {
                tree.orphan(to, n, d);
            }
            if (moving != null) {
                tree.setParent(moving, to, n);
            }
        } finally {
            s.close();
            if (d != null) {
                d.close();
            }
        }
    }

    /** Whether the directory {@code s} found is {@code dir} or one of its ancestors. */
    private static boolean isAncestor(Found s, Node dir) {
        for (Node n = dir; n != null; n = n.parent) {
            if (n.upperFd >= 0 && s.upper != null) {
                try {
                    Stat st = Fs.fstat(n.upperFd);
                    if (st.dev() == s.upper.dev() && st.ino() == s.upper.ino()) {
                        return true;
                    }
                } catch (PosixException e) {
                    return false;
                }
            }
        }
        return false;
    }

    @Override
    public Entry link(Context ctx, long nodeId, long newParent, FileName newName) throws FsException {
        tree.checkWritable();
        Node node = tree.get(nodeId);
        Node p = tree.get(newParent);
        byte[] n = newName(newName);
        if (node.isDirectory()) {
            throw FsException.of(Errno.EPERM);
        }
        return changing(() -> {
            boolean overWhiteout;
            try (Found f = tree.resolveForChange(p, n)) {
                if (f.visible()) {
                    throw FsException.of(Errno.EEXIST);
                }
                overWhiteout = f.lowerBelow();
            }
            tree.copyUp(node);
            tree.copyUp(p);
            if (overWhiteout) {
                tree.host.removeDeviceWhiteout(p.upperFd, n);
            }
            Tree.link(node.upperFd, p.upperFd, n);
            if (overWhiteout) {
                tree.host.removeOciWhiteout(p.upperFd, n);
            }
            return adopted(p, n, tree.resolve(p, n));
        });
    }

    // ---------------------------------------------------------------- attributes

    private Attr attr(Node n, Stat st) {
        return new Attr(n.ino, st.size(), st.blocks(), st.atimeSec(), st.atimeNsec(), st.mtimeSec(),
                st.mtimeNsec(), st.ctimeSec(), st.ctimeNsec(), st.mode(), tree.nlinkOf(n, st), st.uid(),
                st.gid(), (st.rdevMinor() & 0xff) | ((st.rdevMajor() & 0xfff) << 8) | ((st.rdevMinor() & ~0xff) << 12),
                st.blksize(), 0);
    }

    @Override
    public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) throws FsException {
        Node n = tree.get(nodeId);
        return host(() -> {
            if (handle.isPresent() && handles.get(handle.getAsLong()) instanceof OpenFile f) {
                return new AttrReply(attr(n, Fs.fstat(f.fd())), timeout);
            }
            return new AttrReply(attr(n, Fs.fstat(n.fd())), timeout);
        });
    }

    @Override
    public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid, OptionalLong handle)
            throws FsException {
        tree.checkWritable();
        Node n = tree.get(nodeId);
        return changing(() -> {
            tree.copyUp(n);
            int fd = n.upperFd;
            if (valid.hasMode()) {
                tree.host.chmod(fd, attr.mode() & 07777);
            }
            if (valid.hasUid() || valid.hasGid()) {
                Fs.fchownat(fd, "", valid.hasUid() ? attr.uid() : -1, valid.hasGid() ? attr.gid() : -1,
                        AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
            }
            if (valid.hasSize()) {
                OpenFile open = valid.hasHandle() && handle.isPresent()
                        && handles.get(handle.getAsLong()) instanceof OpenFile f ? f : null;
                if (open != null && (open.flags() & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY) {
                    Io.ftruncate(open.fd(), attr.size());
                } else {
                    int w = tree.host.reopen(fd, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK);
                    try {
                        Io.ftruncate(w, attr.size());
                    } finally {
                        Host.close(w);
                    }
                }
            }
            if (valid.hasAtime() || valid.hasMtime()) {
                long aNsec = !valid.hasAtime() ? AtFlags.UTIME_OMIT
                        : valid.hasAtimeNow() ? AtFlags.UTIME_NOW : attr.atimeNsec();
                long mNsec = !valid.hasMtime() ? AtFlags.UTIME_OMIT
                        : valid.hasMtimeNow() ? AtFlags.UTIME_NOW : attr.mtimeNsec();
                Fs.utimensat(fd, "", attr.atimeSec(), aNsec, attr.mtimeSec(), mNsec,
                        AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
            }
            return new AttrReply(attr(n, Fs.fstat(fd)), timeout);
        });
    }

    @Override
    public StatFs statfs(Context ctx, long nodeId) throws FsException {
        return host(() -> {
            org.jvirtiofs.posix.StatFs s = Mounts.fstatfs(tree.root().fd());
            return new StatFs(s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), (int) s.bsize(),
                    (int) s.namelen(), (int) s.frsize());
        });
    }

    // ---------------------------------------------------------------- files

    private static int hostFlags(org.jvirtiofs.api.OpenFlags guest) {
        return guest.bits() & ~NOT_PASSED;
    }

    private static boolean writes(int flags) {
        return (flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0;
    }

    @Override
    public OpenReply open(Context ctx, long nodeId, org.jvirtiofs.api.OpenFlags flags, boolean killSuidgid)
            throws FsException {
        Node n = tree.get(nodeId);
        if (!n.isRegularFile()) {
            throw FsException.of(n.isDirectory() ? Errno.EISDIR : n.isSymlink() ? Errno.ELOOP : Errno.EACCES);
        }
        int host = hostFlags(flags);
        if (writes(host)) {
            tree.checkWritable();
            changing(() -> {
                tree.copyUp(n);
                return null;
            });
        }
        int fd = host(() -> tree.host.reopen(n.fd(), host));
        int replyFlags = openFlags | noFlush(fd, host) | directWrite(n, host);
        if (keepUnchanged) {
            try {
                replyFlags |= keepIfUnchanged(n, fd);
            } catch (FsException | RuntimeException e) {
                Host.close(fd);
                throw e;
            }
        }
        return new OpenReply(add(new OpenFile(n, fd, host)), replyFlags);
    }

    /**
     * FOPEN_NOFLUSH where a FLUSH, closing a duplicate of {@code fd}, would report nothing: for a
     * reader, and for a writer of a file on a local file system without a flush operation ({@link
     * Mounts#closeReportsNothing}), whose WRITEs reported the host's errors already. The guest
     * keeps its own locks here, so FLUSH has no locks to end. Unsure (fstatfs failed): FLUSH stays.
     */
    private static int noFlush(int fd, int host) {
        try {
            return !writes(host) || Mounts.closeReportsNothing(fd) ? OpenReply.FOPEN_NOFLUSH : 0;
        } catch (PosixException e) {
            return 0;
        }
    }

    /**
     * As passthrough at cache=auto: FOPEN_DIRECT_IO for a write-only open of a file the guest holds
     * no other handle on, whose pages the next OPEN of the changed file would drop anyway, and
     * which no mapping of the guest's can see go stale (Linux 6.1 keeps cached pages on a direct
     * write). Called before the new handle is counted.
     */
    private int directWrite(Node n, int host) {
        return directWrite && (host & OpenFlags.O_ACCMODE) == OpenFlags.O_WRONLY && n.opens() == 0
                ? OpenReply.FOPEN_DIRECT_IO : 0;
    }

    /**
     * As passthrough under cache=auto: KEEP_CACHE if the file open on {@code fd} is the one, and
     * as it was, at the OPEN that last made the guest drop its pages (a copy-up makes it another
     * file); otherwise none, and this OPEN's stamp is the one later OPENs compare against.
     */
    private int keepIfUnchanged(Node n, int fd) throws FsException {
        DataStamp now = DataStamp.of(host(() -> Fs.fstat(fd)), System.currentTimeMillis());
        DataStamp dropped = n.dataStamp;
        if (dropped != null && dropped.stillValidFor(now)) {
            return OpenReply.FOPEN_KEEP_CACHE;
        }
        n.dataStamp = now;
        return 0;
    }

    @Override
    public CreateReply create(Context ctx, long parent, FileName name, int mode,
            org.jvirtiofs.api.OpenFlags flags, int umask, boolean killSuidgid) throws FsException {
        int host = hostFlags(flags);
        int[] opened = {-1};
        Entry entry;
        try {
            entry = created(ctx, parent, name, (dir, n) -> opened[0] = tree.host.openChild(dir, n,
                    host | OpenFlags.O_CREAT | OpenFlags.O_EXCL, mode & 07777 & ~(umask & 0777)), false);
        } catch (FsException e) {
            Host.close(opened[0]);
            if (e.errno() != Errno.EEXIST || (flags.bits() & OpenFlags.O_EXCL) != 0) {
                throw e;
            }
            // it appeared meanwhile and O_EXCL was not asked: open what is there
            Entry existing = lookup(ctx, parent, name);
            try {
                return new CreateReply(existing, open(ctx, existing.nodeId(), flags, killSuidgid));
            } catch (FsException | RuntimeException e2) {
                forget(ctx, existing.nodeId(), 1);
                throw e2;
            }
        }
        Node made = tree.get(entry.nodeId());
        int replyFlags = openFlags | noFlush(opened[0], host) | directWrite(made, host);
        return new CreateReply(entry, new OpenReply(add(new OpenFile(made, opened[0], host)), replyFlags));
    }

    private long add(Object handle) {
        long h = nextHandle.getAndIncrement();
        handles.put(h, handle);
        return h;
    }

    private OpenFile file(long handle) throws FsException {
        if (handles.get(handle) instanceof OpenFile f) {
            return f;
        }
        throw FsException.of(Errno.EBADF);
    }

    @Override
    public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size, long offset,
            OptionalLong lockOwner, org.jvirtiofs.api.OpenFlags flags) throws FsException {
        int fd = file(handle).fd();
        return host(() -> {
            int total = 0;
            while (total < size) {
                ByteBuffer[] buffers = dst.positionedBuffers(size - total);
                if (buffers.length == 0) {
                    break;
                }
                long n = Io.preadv(fd, buffers, offset + total);
                if (n <= 0) {
                    break;
                }
                dst.commit((int) n);
                total += (int) n;
            }
            return total;
        });
    }

    @Override
    public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size, long offset,
            OptionalLong lockOwner, org.jvirtiofs.api.OpenFlags flags, int writeFlags) throws FsException {
        int fd = file(handle).fd();
        return host(() -> {
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
        });
    }

    @Override
    public void flush(Context ctx, long nodeId, long handle, long lockOwner) throws FsException {
        int fd = file(handle).fd();
        host(() -> {
            Io.close(Io.dup(fd));
            return null;
        });
    }

    @Override
    public void fsync(Context ctx, long nodeId, long handle, boolean datasync) throws FsException {
        int fd = file(handle).fd();
        host(() -> {
            if (datasync) {
                Io.fdatasync(fd);
            } else {
                Io.fsync(fd);
            }
            return null;
        });
    }

    @Override
    public void release(Context ctx, long nodeId, long handle, org.jvirtiofs.api.OpenFlags flags,
            boolean flush, boolean flockRelease, long lockOwner) {
        if (handles.remove(handle) instanceof OpenFile f) {
            f.close();
        }
    }

    @Override
    public void fallocate(Context ctx, long nodeId, long handle, int mode, long offset, long length)
            throws FsException {
        int fd = file(handle).fd();
        host(() -> {
            Io.fallocate(fd, mode, offset, length);
            return null;
        });
    }

    @Override
    public long lseek(Context ctx, long nodeId, long handle, long offset, int whence) throws FsException {
        if (whence != SEEK_DATA && whence != SEEK_HOLE) {
            throw FsException.of(Errno.EINVAL);
        }
        int fd = file(handle).fd();
        return host(() -> Io.lseek(fd, offset, whence));
    }

    @Override
    public long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn, long nodeOut,
            long handleOut, long offsetOut, long length, long flags) throws FsException {
        if (flags != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        int in = file(handleIn).fd();
        int out = file(handleOut).fd();
        return host(() -> Io.copyFileRange(in, offsetIn, out, offsetOut, Math.min(length, MAX_COPY)));
    }

    @Override
    public void syncfs(Context ctx, long nodeId) throws FsException {
        host(() -> {
            int fd = tree.host.reopen(tree.root().fd(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
            try {
                Mounts.syncfs(fd);
            } finally {
                Host.close(fd);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- directories

    @Override
    public OpenReply opendir(Context ctx, long nodeId, org.jvirtiofs.api.OpenFlags flags) throws FsException {
        Node n = tree.get(nodeId);
        if (!n.isDirectory()) {
            throw FsException.of(Errno.ENOTDIR);
        }
        Lock read = tree.lock.readLock();
        read.lock();
        try {
            List<Listing.Item> items = host(() -> Listing.read(tree.host, n.upperFd, n.dirFds, n.dirLayers));
            return new OpenReply(add(new OpenDir(n, items)), opendirFlags);
        } finally {
            read.unlock();
        }
    }

    private OpenDir dir(long handle) throws FsException {
        if (handles.get(handle) instanceof OpenDir d) {
            return d;
        }
        throw FsException.of(Errno.EBADF);
    }

    /** "." and ".." are positions 0 and 1; the merged items follow. Cookies are positions + 1. */
    private DirEntry entryAt(OpenDir d, int i) {
        if (i == 0) {
            return new DirEntry(d.dir().ino, 1, FileMode.DT_DIR, FileName.DOT);
        }
        if (i == 1) {
            Node p = d.dir().parent;
            return new DirEntry(p != null ? p.ino : d.dir().ino, 2, FileMode.DT_DIR, FileName.DOT_DOT);
        }
        Listing.Item item = d.items().get(i - 2);
        return new DirEntry(item.ino(), i + 1, item.type(), FileName.of(item.name()));
    }

    @Override
    public void readdir(Context ctx, long nodeId, long handle, long offset, int size, DirEntrySink sink)
            throws FsException {
        OpenDir d = dir(handle);
        for (long i = offset; i < d.items().size() + 2; i++) {
            if (!sink.add(entryAt(d, (int) i))) {
                return;
            }
        }
    }

    @Override
    public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size, DirEntryPlusSink sink)
            throws FsException {
        OpenDir d = dir(handle);
        for (long i = offset; i < d.items().size() + 2; i++) {
            DirEntry e = entryAt(d, (int) i);
            if (!sink.fits(e.name())) {
                return;
            }
            Entry entry = Entry.negative(Duration.ZERO);
            if (!e.name().isDotOrDotDot()) {
                try {
                    entry = lookup(d.dir(), e.name().toByteArray());
                } catch (FsException | PosixException | RuntimeException ex) {
                    // gone since opendir (or a bug the lookup itself would report): the listing goes on
                }
            }
            if (!sink.add(e, entry)) {
                if (!entry.isNegative()) {
                    tree.forget(entry.nodeId(), 1);
                }
                return;
            }
        }
    }

    @Override
    public void releasedir(Context ctx, long nodeId, long handle, org.jvirtiofs.api.OpenFlags flags) {
        handles.remove(handle);
    }

    @Override
    public void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync) throws FsException {
        Node n = dir(handle).dir();
        host(() -> {
            int fd = tree.host.reopen(n.fd(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
            try {
                Io.fsync(fd);
            } finally {
                Host.close(fd);
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- xattrs

    private Node xattrNode(long nodeId) throws FsException {
        if (!tree.options.xattr()) {
            throw FsException.of(Errno.ENOSYS); // Linux stops asking and answers EOPNOTSUPP
        }
        return tree.get(nodeId);
    }

    /**
     * The host name of a guest xattr: overlayfs's {@code trusted.overlay.*} are escaped as the
     * kernel escapes them; the overlay's own are refused with {@code ownErrno}.
     */
    private static String hostXattr(String name, int ownErrno) throws FsException {
        if (Host.isOwnXattr(name)) {
            throw FsException.of(ownErrno);
        }
        return Host.xattrToHost(name);
    }

    @Override
    public byte[] getxattr(Context ctx, long nodeId, String name, int size) throws FsException {
        Node n = xattrNode(nodeId);
        String host = hostXattr(name, Errno.ENODATA);
        return host(() -> Xattrs.getxattr(Host.proc(n.fd()), host, true));
    }

    @Override
    public byte[] listxattr(Context ctx, long nodeId, int size) throws FsException {
        Node n = xattrNode(nodeId);
        return host(() -> {
            StringBuilder list = new StringBuilder();
            for (String x : Xattrs.listxattr(Host.proc(n.fd()), true)) {
                String guest = tree.host.xattrToGuest(x);
                if (guest != null) {
                    list.append(guest).append('\0');
                }
            }
            return list.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    @Override
    public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags, int extFlags)
            throws FsException {
        tree.checkWritable();
        Node n = xattrNode(nodeId);
        String host = hostXattr(name, Errno.EPERM);
        changing(() -> {
            tree.copyUp(n);
            Xattrs.setxattr(Host.proc(n.upperFd), host, value, flags, true);
            return null;
        });
    }

    @Override
    public void removexattr(Context ctx, long nodeId, String name) throws FsException {
        tree.checkWritable();
        Node n = xattrNode(nodeId);
        String host = hostXattr(name, Errno.ENODATA);
        changing(() -> {
            // copy up only what has the attribute: removing a missing one changes nothing
            Xattrs.getxattr(Host.proc(n.fd()), host, true);
            tree.copyUp(n);
            Xattrs.removexattr(Host.proc(n.upperFd), host, true);
            return null;
        });
    }

    // ---------------------------------------------------------------- plumbing

    /** A guest name to look up: "." and ".." never arrive without EXPORT_SUPPORT, whiteout names never show. */
    private static byte[] visibleName(FileName name) throws FsException {
        if (name.isDotOrDotDot()) {
            throw FsException.of(Errno.EINVAL);
        }
        byte[] n = name.toByteArray();
        if (Host.isOciName(n)) {
            throw FsException.of(Errno.ENOENT);
        }
        return n;
    }

    /** A guest name to create, remove or rename: never "." or "..", never an OCI whiteout name. */
    private static byte[] newName(FileName name) throws FsException {
        if (name.isDotOrDotDot()) {
            throw FsException.of(Errno.EINVAL);
        }
        byte[] n = name.toByteArray();
        if (Host.isOciName(n)) {
            throw FsException.of(Errno.EINVAL, "names starting with .wh. are whiteouts");
        }
        return n;
    }

    /** A host call that returns a value. */
    @FunctionalInterface
    private interface HostCall<T> {
        T call() throws FsException, PosixException;
    }

    private static <T> T host(HostCall<T> call) throws FsException {
        try {
            return call.call();
        } catch (PosixException e) {
            throw FsException.of(e.errno());
        }
    }

    /** A change of the tree, under its write lock. */
    private <T> T changing(HostCall<T> call) throws FsException {
        Lock write = tree.lock.writeLock();
        write.lock();
        try {
            return host(call);
        } finally {
            write.unlock();
        }
    }
}

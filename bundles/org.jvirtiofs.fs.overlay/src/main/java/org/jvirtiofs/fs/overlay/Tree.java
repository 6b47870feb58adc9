package org.jvirtiofs.fs.overlay;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;
import org.jvirtiofs.posix.Xattrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The merged tree: resolving a name through the layers, the nodes the guest holds, copy-up, and
 * the whiteout bookkeeping of removal and rename.
 *
 * <p><b>Resolving.</b> A name is looked up in the upper directory first: an OCI whiteout
 * {@code .wh.NAME} or a 0/0 character device hides it. Then in the lower directories merged
 * into the parent, topmost first, stopping at a whiteout, at a non-directory, or after an opaque
 * directory. A directory's lower directories are merged until one is opaque.
 *
 * <p><b>Inode numbers.</b> The guest sees {@code layer << 48 | st_ino}, with layer 0 the upper
 * and 1..n the lowers, taken from the object's origin: copy-up records the number the object had
 * in the {@code originXattr} of the upper copy, so it does not change. Nodes are identified by
 * their current layer object, so hard links of a lower file are one node.
 *
 * <p><b>Locking.</b> Lookups and listings take the read lock; every change of the namespace or
 * copy-up takes the write lock, so no reader sees half a copy-up or a rename without its
 * whiteout. Data reads and writes take neither.
 */
final class Tree implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tree.class);
    private static final long INO_MASK = (1L << 48) - 1;
    private static final int COPY_CHUNK = 1 << 30;
    /** Copy-ups this big are worth a line in the log: the guest's request waits for them. */
    private static final long BIG_COPY = 64L << 20;

    final OverlayOptions options;
    final Host host;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Node root;
    private final List<Integer> lowerRoots = new ArrayList<>();
    private final Map<Long, Node> byId = new ConcurrentHashMap<>();
    private final Map<Node.Key, Node> byKey = new HashMap<>();
    private final WorkDir work;
    private long nextId = FuseFilesystem.FUSE_ROOT_ID + 1;

    Tree(OverlayOptions options) throws PosixException {
        this.options = options;
        this.host = new Host();
        int upper = -1;
        List<Integer> dirs = new ArrayList<>();
        List<Integer> layers = new ArrayList<>();
        try {
            if (options.upper() != null) {
                upper = openRoot(options.upper());
            }
            boolean opaque = false;
            for (int i = 0; i < options.lowers().size(); i++) {
                int fd = openRoot(options.lowers().get(i));
                lowerRoots.add(fd);
                if (!opaque) {
                    dirs.add(fd);
                    layers.add(i + 1);
                    opaque = host.isOpaque(fd);
                }
            }
            Stat st = Fs.fstat(upper >= 0 ? upper : lowerRoots.get(0));
            int layer = upper >= 0 ? 0 : 1;
            root = new Node(FuseFilesystem.FUSE_ROOT_ID, FileMode.S_IFDIR, inoOf(layer, st.ino()));
            root.upperFd = upper;
            // the root's lower fds are shared with lowerRoots, which owns them
            root.dirFds = dirs.stream().mapToInt(Integer::intValue).toArray();
            root.dirLayers = layers.stream().mapToInt(Integer::intValue).toArray();
            root.key = new Node.Key(layer, st.dev(), st.ino());
            root.lookups = 1;
            byId.put(root.id, root);
            byKey.put(root.key, root);
            work = options.readonly() ? null : new WorkDir(host, upper);
        } catch (PosixException | RuntimeException e) {
            Host.close(upper);
            lowerRoots.forEach(Host::close);
            host.close();
            throw e;
        }
    }

    private static int openRoot(Path dir) throws PosixException {
        // the operator chose these paths, so following symlinks in them is fine
        return Fs.openat(AtFlags.AT_FDCWD, dir.toString(),
                OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
    }

    static long inoOf(int layer, long hostIno) {
        return ((long) layer << 48) | (hostIno & INO_MASK);
    }

    Node root() {
        return root;
    }

    /** The node the guest holds as {@code id}; ESTALE if it forgot it (or never had it). */
    Node get(long id) throws FsException {
        Node n = byId.get(id);
        if (n == null) {
            throw FsException.of(Errno.ESTALE);
        }
        return n;
    }

    int size() {
        return byId.size();
    }

    /** The node {@code id}, or null. */
    Node find(long id) {
        return byId.get(id);
    }

    /** Fails with EROFS unless the overlay has a writable upper. */
    void checkWritable() throws FsException {
        if (options.readonly()) {
            throw FsException.of(Errno.EROFS);
        }
    }

    // ---------------------------------------------------------------- resolving

    /** What {@code name} in {@code parent} is across the layers. The caller closes the result. */
    Found resolve(Node parent, byte[] name) throws PosixException {
        Found f = new Found();
        try {
            boolean upperOpaque = false;
            int pu = parent.upperFd;
            if (pu >= 0 && parent.isDirectory()) {
                if (Host.hasOciWhiteout(pu, name)) {
                    f.upperWhiteout = true;
                    return f;
                }
                int fd = host.find(pu, name);
                if (fd >= 0) {
                    Stat st = Fs.fstat(fd);
                    if (Host.isWhiteout(st)) {
                        Host.close(fd);
                        f.upperWhiteout = true;
                        return f;
                    }
                    f.upperFd = fd;
                    f.upper = st;
                    upperOpaque = st.isDirectory() && host.isOpaque(fd);
                }
            }
            int[] dirs = parent.dirFds;
            int[] layers = parent.dirLayers;
            List<Integer> merged = new ArrayList<>();
            List<Integer> mergedLayers = new ArrayList<>();
            for (int i = 0; i < dirs.length; i++) {
                if (Host.hasOciWhiteout(dirs[i], name)) {
                    break;
                }
                int fd = host.find(dirs[i], name);
                if (fd < 0) {
                    continue;
                }
                Stat st = Fs.fstat(fd);
                if (Host.isWhiteout(st)) {
                    Host.close(fd);
                    break;
                }
                if (f.lower == null) {
                    f.lower = st;
                    f.lowerFd = fd;
                    f.lowerLayer = layers[i];
                    boolean merges = st.isDirectory()
                            && (f.upper == null || (f.upper.isDirectory() && !upperOpaque));
                    if (!merges) {
                        break;
                    }
                } else if (!st.isDirectory()) {
                    Host.close(fd);
                    break;
                }
                merged.add(fd);
                mergedLayers.add(layers[i]);
                if (host.isOpaque(fd)) {
                    break;
                }
            }
            f.dirFds = merged.stream().mapToInt(Integer::intValue).toArray();
            f.dirLayers = mergedLayers.stream().mapToInt(Integer::intValue).toArray();
            return f;
        } catch (PosixException | RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static Node.Key keyOf(Found f) {
        return f.upper != null ? new Node.Key(0, f.upper.dev(), f.upper.ino())
                : new Node.Key(f.lowerLayer, f.lower.dev(), f.lower.ino());
    }

    /** The inode number the guest sees for what {@code f} found: its origin's, if copied up. */
    long inoOf(Found f) {
        if (f.upper != null) {
            long origin = host.origin(f.upperFd);
            return origin >= 0 ? origin : inoOf(0, f.upper.ino());
        }
        return inoOf(f.lowerLayer, f.lower.ino());
    }

    /**
     * Resolves {@code name} for a change: a lower-only name of a hard-linked file whose copy is
     * already up is linked to that copy first, so every name stays the same file. Write lock held.
     */
    Found resolveForChange(Node parent, byte[] name) throws FsException, PosixException {
        Found f = resolve(parent, name);
        byte[] index = indexedCopy(f);
        if (index != null) {
            f.close();
            linkCopy(parent, name, index);
            f = resolve(parent, name);
        }
        return f;
    }

    /** Whether {@code f} is a lower-only name of a hard-linked file already copied up. */
    boolean needsLink(Found f) throws PosixException {
        return indexedCopy(f) != null;
    }

    /** The index entry of the upper copy when {@code f} is a lower-only name of a copied-up hard link. */
    private byte[] indexedCopy(Found f) throws PosixException {
        if (work == null || f.upper != null || f.lower == null || f.lower.isDirectory() || f.lower.nlink() < 2) {
            return null;
        }
        return work.copyOf(f.lowerFd, f.lowerLayer, f.lower);
    }

    /** Links the indexed upper copy {@code index} of a hard-linked lower file as {@code name}. */
    private void linkCopy(Node parent, byte[] name, byte[] index) throws FsException, PosixException {
        checkWritable();
        copyUp(parent);
        Stat before = Fs.fstat(parent.upperFd);
        work.linkCopy(index, parent.upperFd, name);
        restoreTimes(parent.upperFd, before);
    }

    /**
     * The link count the guest sees: 1 for a merged directory, as overlayfs reports it; for the
     * upper copy of a hard-linked lower file, its upper names plus the lower names not linked
     * to it yet (the index's own link not counted).
     */
    int nlinkOf(Node n, Stat st) {
        if (n.isMerged()) {
            return 1;
        }
        if (work != null && n.upperFd >= 0 && st.nlink() >= 2 && st.isRegularFile()) {
            int[] links = work.links(n.upperFd);
            if (links != null) {
                return st.nlink() - 1 + Math.max(0, links[1] - links[0]);
            }
        }
        return st.nlink();
    }

    // ---------------------------------------------------------------- nodes

    /**
     * One more lookup of what {@code f} found as {@code name} in {@code parent}: the node already
     * known for that object, or a new one taking {@code f}'s fds. Closes {@code f}.
     */
    Node adopt(Node parent, byte[] name, Found f) {
        return place(parent, name, f, 0, 1);
    }

    /**
     * Counts {@code lookups} more of what {@code f} found as {@code name} in {@code parent}: the
     * node already known for that object, or a new one taking {@code f}'s fds, numbered {@code id}
     * (0: the next free id). Closes {@code f}.
     */
    private Node place(Node parent, byte[] name, Found f, long id, long lookups) {
        Node.Key key = keyOf(f);
        try {
            synchronized (this) {
                Node n = byKey.get(key);
                if (n != null) {
                    n.lookups += lookups;
                    setParent(n, parent, name);
                    return n;
                }
                // only a new node needs its number (the origin xattr read): not every lookup
                n = new Node(id != 0 ? id : nextId++, f.stat().type(), inoOf(f));
                if (f.upper != null) {
                    n.upperFd = f.upperFd;
                    f.upperFd = -1;
                }
                if (n.isDirectory()) {
                    n.dirFds = f.dirFds;
                    n.dirLayers = f.dirLayers;
                    if (f.dirFds.length > 0 && f.lowerFd == f.dirFds[0]) {
                        f.lowerFd = -1;
                    }
                    f.dirFds = Node.NONE;
                } else if (f.upper == null) {
                    n.lowerFd = f.lowerFd;
                    f.lowerFd = -1;
                }
                if (f.lower != null && !f.lower.isDirectory()) {
                    n.lowerNlink = f.lower.nlink();
                }
                n.key = key;
                n.lookups = lookups;
                setParent(n, parent, name);
                byKey.put(key, n);
                byId.put(n.id, n);
                return n;
            }
        } finally {
            f.close();
        }
    }

    // ---------------------------------------------------------------- hot swap

    /** The path of {@code n} from the root, '/'-separated bytes ("" for the root), or null for an orphan. */
    synchronized byte[] pathOf(Node n) {
        java.util.ArrayDeque<byte[]> names = new java.util.ArrayDeque<>();
        for (Node c = n; c != root; c = c.parent) {
            if (c == null || c.name == null) {
                return null;
            }
            names.push(c.name);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] name : names) {
            if (out.size() > 0) {
                out.write('/');
            }
            out.writeBytes(name);
        }
        return out.toByteArray();
    }

    /** Every node the guest holds but the root. */
    synchronized List<Node> held() {
        return byId.values().stream().filter(n -> n != root && n.lookups > 0).toList();
    }

    /** Node ids from here on are above {@code maxId}. */
    synchronized void reserveIds(long maxId) {
        nextId = Math.max(nextId, maxId + 1);
    }

    /**
     * Takes over node {@code id} with {@code lookups} from a provider this one replaces: its
     * {@code path} is resolved from the root (directories on the way are kept as nodes too). False
     * if the path no longer leads to an object of {@code type}, or the object already has an id.
     */
    boolean restore(long id, long lookups, int type, byte[] path) throws PosixException {
        List<byte[]> names = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i == path.length || path[i] == '/') {
                if (i > from) {
                    names.add(Arrays.copyOfRange(path, from, i));
                }
                from = i + 1;
            }
        }
        if (names.isEmpty()) {
            return false;
        }
        Node cur = root;
        for (int i = 0; i < names.size(); i++) {
            byte[] name = names.get(i);
            if (Host.isOciName(name) || Listing.isDotOrDotDot(name)) {
                return false;
            }
            Found f = resolve(cur, name);
            boolean last = i == names.size() - 1;
            if (!f.visible() || (!last && !f.stat().isDirectory()) || (last && f.stat().type() != type)) {
                f.close();
                dropIfUnused(cur);
                return false;
            }
            if (last) {
                synchronized (this) {
                    Node known = byKey.get(keyOf(f));
                    if ((known != null && known.id != id) || byId.containsKey(id)) {
                        f.close();
                        dropIfUnused(cur);
                        return false;
                    }
                }
                place(cur, name, f, id, lookups);
                return true;
            }
            cur = place(cur, name, f, 0, 0); // kept while its children are
        }
        return false;
    }

    private synchronized void dropIfUnused(Node n) {
        maybeDrop(n);
    }

    /** The node of what {@code f} found, if the guest holds it. */
    synchronized Node known(Found f) {
        return f.visible() ? byKey.get(keyOf(f)) : null;
    }

    /** Records that {@code n} is now reached as {@code name} in {@code parent} (null: an orphan). */
    synchronized void setParent(Node n, Node parent, byte[] name) {
        if (n == root) {
            return;
        }
        Node old = n.parent;
        if (old != parent) {
            if (parent != null) {
                parent.pins++;
            }
            n.parent = parent;
            if (old != null) {
                old.pins--;
                maybeDrop(old);
            }
        }
        n.name = name;
    }

    synchronized void forget(long id, long nlookup) {
        Node n = byId.get(id);
        if (n == null || n == root) {
            return;
        }
        n.lookups = Math.max(0, n.lookups - nlookup);
        maybeDrop(n);
    }

    /** Undoes one lookup that could not be handed to the kernel. */
    void unlookup(Node n) {
        forget(n.id, 1);
    }

    private void maybeDrop(Node n) {
        while (n != null && n != root && n.lookups == 0 && n.pins == 0) {
            byId.remove(n.id);
            byKey.remove(n.key, n);
            n.closeFds();
            Node p = n.parent;
            n.parent = null;
            if (p == null) {
                return;
            }
            p.pins--;
            n = p;
        }
    }

    /** DESTROY: every node but the root is dropped. */
    synchronized void clear() {
        for (Node n : new ArrayList<>(byId.values())) {
            if (n != root) {
                byId.remove(n.id);
                byKey.remove(n.key, n);
                n.closeFds();
            }
        }
        root.pins = 0;
    }

    private synchronized void rekey(Node n, Node.Key key) {
        byKey.remove(n.key, n);
        n.key = key;
        byKey.put(key, n);
    }

    // ---------------------------------------------------------------- copy-up

    /**
     * Makes sure {@code n} has an upper object: copies it up, and first every directory above it.
     * Data, mode, owner, times and xattrs are copied; a regular file is built unnamed (O_TMPFILE)
     * and linked in whole, so the guest never sees half a copy. The parent's times are kept.
     * Write lock held.
     */
    void copyUp(Node n) throws FsException, PosixException {
        if (n.upperFd >= 0) {
            return;
        }
        checkWritable();
        Node p = n.parent;
        byte[] name = n.name;
        if (p == null || name == null) {
            throw FsException.of(Errno.ESTALE, "a removed file cannot be copied up");
        }
        copyUp(p);
        int fd;
        if (!n.isDirectory() && n.lowerNlink > 1 && work != null) {
            // one upper copy for every name of a lower hard link, found through the index
            int lower = n.lowerObject();
            Stat lst = Fs.fstat(lower);
            byte[] index = work.copyOf(lower, n.key.layer(), lst);
            Stat before = Fs.fstat(p.upperFd);
            if (index == null) {
                fd = copyObject(p.upperFd, name, lower, n.ino);
                work.index(fd, lower, n.key.layer(), lst);
            } else {
                work.linkCopy(index, p.upperFd, name);
                fd = host.find(p.upperFd, name);
            }
            restoreTimes(p.upperFd, before);
        } else {
            fd = copyObject(p.upperFd, name, n.lowerObject(), n.ino);
        }
        Stat st = Fs.fstat(fd);
        n.upperFd = fd;
        rekey(n, new Node.Key(0, st.dev(), st.ino()));
        LOG.debug("copied up {} as upper inode {}", new String(name, java.nio.charset.StandardCharsets.UTF_8), st.ino());
    }

    /** Copies up what {@code f} found as {@code name} in {@code parent}, without a node. */
    void copyUp(Node parent, byte[] name, Found f) throws FsException, PosixException {
        if (f.upper != null) {
            return;
        }
        Node n = adopt(parent, name, f);
        try {
            copyUp(n);
        } finally {
            unlookup(n);
        }
    }

    /** Copies the lower object open on {@code src} to {@code name} in the upper directory {@code dir}. */
    private int copyObject(int dir, byte[] name, int src, long ino) throws FsException, PosixException {
        Stat st = Fs.fstat(src);
        Stat before = Fs.fstat(dir);
        switch (st.type()) {
            case FileMode.S_IFREG -> copyFile(dir, name, src, st, ino);
            case FileMode.S_IFDIR -> Fs.mkdirat(dir, name, 0700);
            case FileMode.S_IFLNK -> Fs.symlinkat(Fs.readlinkat(src, new byte[0]), dir, name);
            default -> Fs.mknodat(dir, name, st.mode(), Stat.makedev(st.rdevMajor(), st.rdevMinor()));
        }
        int fd = host.find(dir, name);
        if (fd < 0) {
            throw FsException.of(Errno.EIO, "the copy-up of " + new String(name) + " vanished");
        }
        try {
            if (st.type() != FileMode.S_IFREG) {
                copyAttributes(src, st, fd);
                host.setOrigin(fd, ino);
            }
            restoreTimes(dir, before);
            return fd;
        } catch (PosixException | RuntimeException e) {
            Host.close(fd);
            throw e;
        }
    }

    private void copyFile(int dir, byte[] name, int src, Stat st, long ino) throws PosixException {
        if (st.size() >= BIG_COPY) {
            LOG.info("copying up {} ({} MiB) before its first change", new String(name, java.nio.charset.StandardCharsets.UTF_8),
                    st.size() >> 20);
        }
        int in = host.reopen(src, OpenFlags.O_RDONLY);
        int tmp = -1;
        byte[] tmpName = null;
        try {
            try {
                tmp = host.openChild(dir, new byte[] {'.'}, OpenFlags.O_TMPFILE | OpenFlags.O_WRONLY, 0600);
            } catch (PosixException e) {
                if (e.errno() != Errno.EOPNOTSUPP && e.errno() != Errno.EISDIR && e.errno() != Errno.EINVAL) {
                    throw e;
                }
                // no O_TMPFILE here: build it in the work directory and rename it in whole
                tmpName = work.tempName();
                tmp = host.openChild(work.fd(), tmpName, OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_WRONLY, 0600);
            }
            copyData(in, tmp, st.size());
            copyAttributes(src, st, tmp);
            host.setOrigin(tmp, ino);
            if (tmpName == null) {
                Fs.linkat(AtFlags.AT_FDCWD, Host.proc(tmp), dir, name, AtFlags.AT_SYMLINK_FOLLOW);
            } else {
                Fs.renameat2(work.fd(), tmpName, dir, name, 0);
                tmpName = null;
            }
        } finally {
            if (tmpName != null) {
                try {
                    Fs.unlinkat(work.fd(), tmpName, 0);
                } catch (PosixException e) {
                    LOG.warn("cannot remove an unfinished copy-up: {}", e.getMessage());
                }
            }
            Host.close(tmp);
            Host.close(in);
        }
    }

    private static void copyData(int in, int out, long size) throws PosixException {
        long off = 0;
        while (off < size) {
            long n;
            try {
                n = Io.copyFileRange(in, off, out, off, Math.min(size - off, COPY_CHUNK));
            } catch (PosixException e) {
                int errno = e.errno();
                if (errno != Errno.EXDEV && errno != Errno.ENOSYS && errno != Errno.EINVAL
                        && errno != Errno.EOPNOTSUPP) {
                    throw e;
                }
                copyBuffered(in, out, off, size);
                return;
            }
            if (n <= 0) {
                return; // the lower file shrank: copy what is there
            }
            off += n;
        }
    }

    private static void copyBuffered(int in, int out, long from, long size) throws PosixException {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        for (long off = from; off < size; ) {
            buf.clear();
            int n = Io.pread(in, buf, off);
            if (n <= 0) {
                return;
            }
            buf.flip();
            while (buf.hasRemaining()) {
                off += Io.pwrite(out, buf, off);
            }
        }
    }

    /** xattrs (but the overlay's own), owner, mode and times of {@code st} onto {@code dst}. */
    private void copyAttributes(int src, Stat st, int dst) throws PosixException {
        if (options.xattr()) {
            List<String> names;
            try {
                names = Xattrs.listxattr(Host.proc(src), true);
            } catch (PosixException e) {
                names = List.of();
            }
            for (String x : names) {
                if (host.isPrivateXattr(x)) {
                    continue;
                }
                try {
                    Xattrs.setxattr(Host.proc(dst), x, Xattrs.getxattr(Host.proc(src), x, true), 0, true);
                } catch (PosixException e) {
                    LOG.debug("copy-up: xattr {} not copied: {}", x, e.getMessage());
                }
            }
        }
        try {
            Fs.fchownat(dst, "", st.uid(), st.gid(), AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
        } catch (PosixException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            LOG.debug("copy-up: owner {}:{} not kept (not root)", st.uid(), st.gid());
        }
        if (st.type() != FileMode.S_IFLNK) {
            host.chmod(dst, st.mode() & 07777); // after chown, which clears set-id bits
        }
        Fs.utimensat(dst, "", st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec(),
                AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
    }

    /** Puts back a directory's times after the overlay's own changes inside it. */
    static void restoreTimes(int dirFd, Stat st) throws PosixException {
        Fs.utimensat(dirFd, "", st.atimeSec(), st.atimeNsec(), st.mtimeSec(), st.mtimeNsec(),
                AtFlags.AT_EMPTY_PATH);
    }

    /** A new name {@code name} in {@code dir} for the file open on {@code fd}. */
    static void link(int fd, int dir, byte[] name) throws PosixException {
        try {
            Fs.linkat(fd, "", dir, name, AtFlags.AT_EMPTY_PATH);
        } catch (PosixException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
            Fs.linkat(AtFlags.AT_FDCWD, Host.proc(fd), dir, name, AtFlags.AT_SYMLINK_FOLLOW);
        }
    }

    // ---------------------------------------------------------------- removal

    /**
     * Removes the upper object of {@code name} (a directory: with the whiteouts left in it) and
     * writes a whiteout where a lower object would show through. The node, if any, becomes an
     * orphan. Write lock held; {@code f} is {@code name}'s resolution, visible.
     */
    void remove(Node parent, byte[] name, Found f) throws FsException, PosixException {
        copyUp(parent);
        int dir = parent.upperFd;
        boolean dirUp = f.upper != null && f.upper.isDirectory();
        if (f.lower == null) {
            removeUpper(dir, name, dirUp);
        } else if (f.upper == null) {
            host.whiteout(dir, name, options.whiteout());
        } else if (options.whiteout() == WhiteoutFormat.OCI) {
            host.whiteout(dir, name, options.whiteout()); // first: from now on the name is gone
            removeUpper(dir, name, dirUp);
        } else if (!work.replaceWithWhiteout(dir, name)) {
            removeUpper(dir, name, dirUp); // no RENAME_WHITEOUT on this filesystem
            host.whiteout(dir, name, options.whiteout());
        }
        orphan(parent, name, f);
    }

    private void removeUpper(int dir, byte[] name, boolean directory) throws FsException, PosixException {
        if (directory) {
            int fd = host.openChild(dir, name, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
            try {
                clearWhiteouts(fd);
            } finally {
                Host.close(fd);
            }
            Fs.unlinkat(dir, name, AtFlags.AT_REMOVEDIR);
        } else {
            Fs.unlinkat(dir, name, 0);
        }
    }

    /** The node found as {@code name} in {@code parent} no longer has that name. */
    void orphan(Node parent, byte[] name, Found f) {
        Node n = known(f);
        if (n != null && n.parent == parent && Arrays.equals(n.name, name)) {
            setParent(n, null, null);
        }
    }

    /**
     * Empties an upper directory that the guest sees empty: only whiteouts and the opaque marker
     * may be in it. ENOTEMPTY if anything else is.
     */
    void clearWhiteouts(int dirFd) throws FsException, PosixException {
        int fd = host.reopen(dirFd, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        try {
            for (List<org.jvirtiofs.posix.DirEntry64> batch = Fs.getdents64(fd); !batch.isEmpty();
                    batch = Fs.getdents64(fd)) {
                for (org.jvirtiofs.posix.DirEntry64 e : batch) {
                    byte[] n = e.rawName();
                    if (Listing.isDotOrDotDot(n)) {
                        continue;
                    }
                    if (Host.isOciName(n) || Host.isWhiteout(Fs.fstatat(dirFd, n, AtFlags.AT_SYMLINK_NOFOLLOW))) {
                        Fs.unlinkat(dirFd, n, 0);
                    } else {
                        throw FsException.of(Errno.ENOTEMPTY);
                    }
                }
            }
        } finally {
            Host.close(fd);
        }
    }

    /** Whether the directory {@code f} found shows nothing but "." and "..". */
    boolean isEmpty(Found f) throws PosixException {
        return Listing.read(host, f.upperFd, f.dirFds, f.dirLayers).isEmpty();
    }

    @Override
    public synchronized void close() {
        clear();
        Host.close(root.upperFd);
        lowerRoots.forEach(Host::close);
        if (work != null) {
            work.close();
        }
        host.close();
    }
}

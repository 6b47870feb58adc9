package org.jvirtiofs.fs.passthrough;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.FcntlFlags;
import org.jvirtiofs.posix.FileHandle;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inodes the guest holds references to, by node id and by host identity, with their lookup
 * counts. Node ids come from a counter and are never reused, so a stale id can only miss
 * (EBADF), never name another file. An inode goes, and its fd is closed, when FORGET brings its
 * count to zero; the root stays until the share closes.
 */
final class InodeTable implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InodeTable.class);

    /** Descriptors of files read and directories listed without a handle (see {@link ReadFds}). */
    final ReadFds readFds = new ReadFds(this);

    private final Map<Long, Inode> byId = new ConcurrentHashMap<>();
    private final Map<InodeKey, Inode> byKey = new HashMap<>(); // guarded by this
    private final AtomicLong nextId = new AtomicLong(FuseFilesystem.FUSE_ROOT_ID + 1);
    private final Confinement confinement;
    private final MountFds mountFds;
    private final InodeFileHandles handles;
    private final Inode root;

    /** Takes ownership of {@code rootFd}, an O_PATH fd on the share's root directory. */
    InodeTable(Confinement confinement, InodeFileHandles handles, int rootFd, Stat rootStat)
            throws PosixException {
        this.confinement = confinement;
        this.mountFds = new MountFds(confinement);
        this.handles = handles;
        // the root keeps its fd in every mode: it is needed for every lookup below it
        this.root = new Inode(FuseFilesystem.FUSE_ROOT_ID, 0, rootKey(rootFd, rootStat),
                rootStat.type(), rootFd, null);
        if (handles != InodeFileHandles.NEVER) {
            mountFds.get(rootStat.mountId(), rootFd, rootStat.type());
        }
        byId.put(root.nodeId, root);
        byKey.put(root.key, root);
    }

    /** The root's key: with its handle where handles are used, as lookups of "." compute it. */
    private InodeKey rootKey(int rootFd, Stat rootStat) {
        FileHandle handle = null;
        if (handles != InodeFileHandles.NEVER) {
            try {
                handle = Fs.nameToHandleAt(rootFd, "", AtFlags.AT_EMPTY_PATH);
            } catch (PosixException e) {
                LOG.debug("no file handle for the root: {}", e.getMessage());
            }
        }
        return InodeKey.of(rootStat, handle);
    }

    Inode root() {
        return root;
    }

    /** The inode with {@code nodeId}; EBADF if the guest has none by that id. */
    Inode get(long nodeId) throws FsException {
        Inode inode = byId.get(nodeId);
        if (inode == null) {
            throw FsException.of(Errno.EBADF);
        }
        return inode;
    }

    /** An O_PATH fd on {@code inode} for one operation. */
    PathFd path(Inode inode) throws PosixException {
        if (inode.handle == null) {
            return new PathFd(inode.fd, false);
        }
        return new PathFd(openHandle(inode, OpenFlags.O_PATH | OpenFlags.O_CLOEXEC), true);
    }

    /** A new fd on {@code inode} opened with {@code flags}; the caller closes it. */
    int reopen(Inode inode, int flags) throws PosixException {
        if (inode.handle == null) {
            return confinement.reopen(inode.fd, flags);
        }
        return openHandle(inode, (flags | OpenFlags.O_CLOEXEC)
                & ~(OpenFlags.O_NOFOLLOW | OpenFlags.O_CREAT | OpenFlags.O_EXCL));
    }

    private int openHandle(Inode inode, int flags) throws PosixException {
        int mountFd = mountFds.get(inode.handle.mountId());
        if (mountFd < 0) {
            throw new PosixException(Errno.ESTALE, "open_by_handle_at", inode.toString());
        }
        return Fs.openByHandleAt(mountFd, inode.handle, flags);
    }

    /**
     * Counts one lookup of the file open on {@code pathFd} (O_PATH) and described by
     * {@code st}: its known inode, or a new one. Takes ownership of {@code pathFd} in every case.
     */
    Inode adopt(int pathFd, Stat st) throws FsException {
        FileHandle handle = handles == InodeFileHandles.NEVER ? null : handleOf(pathFd);
        InodeKey key = InodeKey.of(st, handle);
        Inode inode = countIfKnown(key);
        if (inode == null) {
            boolean keepHandle = handle != null && canReopen(pathFd, handle.mountId(), st.type());
            inode = insertOrCount(key, st.type(), keepHandle ? -1 : pathFd, keepHandle ? handle : null);
            if (inode.fd == pathFd) {
                return inode; // the new inode keeps the fd
            }
        }
        Descriptors.closeQuietly(pathFd);
        return inode;
    }

    /**
     * Whether a file's status alone finds its inode ({@link #countIfKnown(Stat)}): not where
     * inodes are keyed by file handles, which a status does not give.
     */
    boolean knownByStatus() {
        return handles == InodeFileHandles.NEVER;
    }

    /**
     * Counts one more lookup of the inode {@code st} describes, if the guest holds it already;
     * null if not. Only where {@link #knownByStatus()}. While an inode is known its O_PATH fd
     * pins the host's inode, so its number cannot have been reused: a status with the same
     * device, number and mount is the same file.
     */
    Inode countIfKnown(Stat st) {
        return countIfKnown(InodeKey.of(st, null));
    }

    private synchronized Inode insertOrCount(InodeKey key, int type, int fd, FileHandle handle) {
        Inode inode = byKey.get(key);
        if (inode == null) {
            long id = nextId.getAndIncrement();
            inode = new Inode(id, id, key, type, fd, handle);
            byKey.put(key, inode);
            byId.put(id, inode);
        }
        inode.lookups++;
        return inode;
    }

    private synchronized Inode countIfKnown(InodeKey key) {
        Inode known = byKey.get(key);
        if (known != null) {
            known.lookups++;
        }
        return known;
    }

    /** The file's handle, or null where it has none (prefer); mandatory fails instead. */
    private FileHandle handleOf(int pathFd) throws FsException {
        try {
            return Fs.nameToHandleAt(pathFd, "", AtFlags.AT_EMPTY_PATH);
        } catch (PosixException e) {
            if (handles == InodeFileHandles.MANDATORY) {
                Descriptors.closeQuietly(pathFd);
                throw Errors.fs(e);
            }
            LOG.debug("no file handle, keeping an O_PATH fd: {}", e.getMessage());
            return null;
        }
    }

    /** Whether a mount fd lets us reopen the file by handle; mandatory fails if not. */
    private boolean canReopen(int pathFd, long mountId, int type) throws FsException {
        try {
            if (mountFds.get(mountId, pathFd, type) >= 0) {
                return true;
            }
        } catch (PosixException e) {
            LOG.debug("no mount fd for mount {}: {}", mountId, e.getMessage());
        }
        if (handles == InodeFileHandles.MANDATORY) {
            Descriptors.closeQuietly(pathFd);
            throw FsException.of(Errno.EOPNOTSUPP);
        }
        return false;
    }

    /** Every inode but the root: what a handover describes. */
    synchronized List<Inode> all() {
        List<Inode> all = new ArrayList<>(byId.size());
        for (Inode inode : byId.values()) {
            if (inode != root) {
                all.add(inode);
            }
        }
        return all;
    }

    /** A new O_PATH fd on {@code inode} that outlives this table, for a handover. */
    int pathFdForHandover(Inode inode) throws PosixException {
        if (inode.handle == null) {
            return Io.fcntl(inode.fd, FcntlFlags.F_DUPFD_CLOEXEC, 0);
        }
        return openHandle(inode, OpenFlags.O_PATH | OpenFlags.O_CLOEXEC);
    }

    /**
     * Adds an inode the previous provider handed over, keeping its id, generation and lookup
     * count; takes ownership of {@code pathFd}. Returns null (and closes the fd) if the id or the
     * file is known already.
     */
    Inode restore(long nodeId, long generation, long lookups, int pathFd, Stat st) throws FsException {
        FileHandle handle = handles == InodeFileHandles.NEVER ? null : handleOf(pathFd);
        boolean keepHandle = handle != null && canReopen(pathFd, handle.mountId(), st.type());
        InodeKey key = InodeKey.of(st, handle);
        Inode inode = new Inode(nodeId, generation, key, st.type(), keepHandle ? -1 : pathFd,
                keepHandle ? handle : null);
        inode.lookups = lookups;
        boolean added;
        synchronized (this) {
            added = nodeId != root.nodeId && !byId.containsKey(nodeId) && !byKey.containsKey(key);
            if (added) {
                byId.put(nodeId, inode);
                byKey.put(key, inode);
            }
        }
        reserveIds(nodeId);
        if (!added || keepHandle) {
            Descriptors.closeQuietly(pathFd);
        }
        return added ? inode : null;
    }

    /** New node ids start above {@code maxInUse}: the guest may still hold ids up to it. */
    void reserveIds(long maxInUse) {
        nextId.accumulateAndGet(maxInUse + 1, Math::max);
    }

    /** Drops {@code n} references; at zero the inode goes and its fd is closed. */
    void forget(long nodeId, long n) {
        if (nodeId == root.nodeId) {
            return;
        }
        Inode gone = null;
        synchronized (this) {
            Inode inode = byId.get(nodeId);
            if (inode == null) {
                return;
            }
            inode.lookups -= Math.min(n, inode.lookups);
            if (inode.lookups == 0) {
                byId.remove(nodeId);
                byKey.remove(inode.key, inode);
                gone = inode;
            }
        }
        if (gone != null) {
            readFds.drop(gone);
            Descriptors.closeQuietly(gone.fd);
        }
    }

    /** Drops every inode but the root, as DESTROY asks. */
    void clear() {
        readFds.clear();
        synchronized (this) {
            for (Inode inode : byId.values()) {
                if (inode != root) {
                    Descriptors.closeQuietly(inode.fd);
                }
            }
            byId.clear();
            byKey.clear();
            byId.put(root.nodeId, root);
            byKey.put(root.key, root);
        }
    }

    /** How many inodes exist, the root included. */
    int size() {
        return byId.size();
    }

    @Override
    public void close() {
        clear();
        Descriptors.closeQuietly(root.fd);
        mountFds.close();
    }
}

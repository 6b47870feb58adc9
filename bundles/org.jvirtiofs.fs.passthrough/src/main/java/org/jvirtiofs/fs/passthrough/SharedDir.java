package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;

/**
 * The shared directory and everything held open on it, as the operation groups share it: the
 * inodes, the open handles, locks, the confinement, the options and what INIT negotiated.
 */
final class SharedDir implements AutoCloseable {
    final PassthroughOptions options;
    final CachePolicy cache;
    final Confinement confinement;
    final InodeTable inodes;
    final HandleTable handles = new HandleTable();
    final LockTable locks;
    final Attrs attrs;
    final Stat rootStat;
    /** WRITEBACK_CACHE was negotiated. */
    volatile boolean writeback;
    /** SUBMOUNTS was negotiated and announce-submounts is on. */
    volatile boolean submounts;
    /** OPEN is answered ENOSYS: the guest opens files without messages (see FileOps). */
    volatile boolean noOpen;
    /** OPENDIR is answered ENOSYS: the guest opens directories without messages (see DirOps). */
    volatile boolean noOpendir;

    SharedDir(PassthroughOptions options) throws PosixException {
        this.options = options;
        this.cache = CachePolicy.of(options.cache(), options.writesDirect());
        this.confinement = new Confinement();
        // the operator chose the source path, so following symlinks in it is fine
        int rootFd = Fs.openat(AtFlags.AT_FDCWD, options.source().toString(),
                OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            this.rootStat = Fs.fstat(rootFd);
            this.inodes = new InodeTable(confinement, options.inodeFileHandles(), rootFd, rootStat);
        } catch (PosixException e) {
            Descriptors.closeQuietly(rootFd);
            confinement.close();
            throw e;
        }
        this.locks = new LockTable(confinement);
        this.attrs = new Attrs(options.uids(), options.gids());
    }

    /** Fails with EROFS when the share is read-only: call before any change. */
    void checkWritable() throws FsException {
        if (options.readonly()) {
            throw FsException.of(Errno.EROFS);
        }
    }

    /** The current status of {@code inode}. */
    Stat stat(Inode inode) throws PosixException {
        try (PathFd p = inodes.path(inode)) {
            return Fs.fstat(p.fd);
        }
    }

    /** The attribute reply for {@code st}. */
    AttrReply attrReply(Stat st) {
        return new AttrReply(attrs.of(st, 0), cache.timeout());
    }

    /**
     * LOOKUP of one name in {@code parent}, confined: "." is the parent, ".." its parent but
     * never above the root; anything else is opened as itself, symlinks included.
     */
    Entry lookup(Inode parent, byte[] name) throws FsException, PosixException {
        try (PathFd dir = inodes.path(parent)) {
            int fd;
            if (Names.isDot(name)) {
                fd = confinement.reopen(dir.fd, OpenFlags.O_PATH);
            } else if (Names.isDotDot(name)) {
                fd = parent == inodes.root() ? confinement.reopen(dir.fd, OpenFlags.O_PATH)
                        : confinement.parentWithin(dir.fd, rootStat);
            } else {
                Entry known = knownChild(parent, dir.fd, name);
                if (known != null) {
                    return known;
                }
                fd = confinement.openChild(dir.fd, name, OpenFlags.O_PATH, 0);
            }
            return adopt(parent, fd);
        }
    }

    /**
     * The entry of {@code name} when its file is an inode the guest holds already: one statx by
     * name, and no open, since that inode's own fd is the file. Null when the file is not known
     * (the caller opens it); a missing name fails here with ENOENT, as its open would.
     */
    private Entry knownChild(Inode parent, int dirFd, byte[] name) throws PosixException {
        if (!inodes.knownByStatus()) {
            return null;
        }
        Stat st;
        try {
            st = confinement.statChild(dirFd, name);
        } catch (PosixException e) {
            if (e.errno() == org.jvirtiofs.posix.Errno.ENOENT) {
                throw e;
            }
            return null; // the open reports it, as it always has
        }
        Inode inode = inodes.countIfKnown(st);
        return inode == null ? null : entry(inode, st, parent);
    }

    /** Counts a lookup of the file open on O_PATH {@code fd} (which this takes) in {@code parent}. */
    Entry adopt(Inode parent, int fd) throws FsException, PosixException {
        Stat st;
        try {
            st = Fs.fstat(fd);
        } catch (PosixException e) {
            Descriptors.closeQuietly(fd);
            throw e;
        }
        Inode inode = inodes.adopt(fd, st);
        return entry(inode, st, parent);
    }

    /** The entry for {@code inode} (already counted), flagged as a submount where it is one. */
    Entry entry(Inode inode, Stat st, Inode parent) {
        int flags = 0;
        if (submounts && st.isDirectory() && parent != null
                && (inode.key.mountId() != parent.key.mountId() || inode.key.dev() != parent.key.dev())) {
            flags = Attr.FUSE_ATTR_SUBMOUNT;
        }
        return new Entry(inode.nodeId, inode.generation, attrs.of(st, flags), cache.timeout(),
                cache.timeout());
    }

    @Override
    public void close() {
        handles.close();
        locks.close();
        inodes.close();
        confinement.close();
    }
}

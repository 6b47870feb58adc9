package org.jvirtiofs.fs.overlay;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.DirEntry64;
import org.jvirtiofs.posix.FileHandle;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.RenameFlags;
import org.jvirtiofs.posix.Stat;
import org.jvirtiofs.posix.Xattrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The overlay's own directory in the upper, {@code .wh..wh.jvfs} (the OCI {@code .wh..wh.}
 * prefix marks layer metadata, as AUFS's {@code .wh..wh.plnk}; the guest never sees it),
 * created on first need:
 * <ul>
 * <li>{@code index-*}: one hard link to the upper copy of each hard-linked lower file, named by
 * the lower file's handle, so every other name of that lower file is linked to the same copy
 * when it is reached, also after a restart. The copy's links xattr counts the lower names
 * linked so far and the lower link count, for the nlink the guest sees.</li>
 * <li>{@code tmp-*}: removed objects on their way out (a removal swaps the name for a whiteout in
 * one rename) and copy-ups being built where O_TMPFILE is missing; purged at start.</li>
 * </ul>
 */
final class WorkDir implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkDir.class);
    static final byte[] NAME = ".wh..wh.jvfs".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DEPTH = 4096;

    private final Host host;
    private final int upperRoot;
    private final String linksXattr;
    private final AtomicLong temps = new AtomicLong();
    private volatile int fd = -1;

    WorkDir(Host host, int upperRoot) throws PosixException {
        this.host = host;
        this.upperRoot = upperRoot;
        this.linksXattr = host.originXattr.replace(".origin", ".links");
        if (Host.exists(upperRoot, NAME)) {
            fd = host.openChild(upperRoot, NAME, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
            for (DirEntry64 e : entries(fd)) {
                if (e.name().startsWith("tmp-")) {
                    LOG.info("removing {} left by an interrupted change", e.name());
                    purge(fd, e.rawName(), 0);
                }
            }
        }
    }

    /** The work directory, made on first use. */
    synchronized int fd() throws PosixException {
        if (fd < 0) {
            Stat before = Fs.fstat(upperRoot);
            try {
                Fs.mkdirat(upperRoot, NAME, 0700);
            } catch (PosixException e) {
                if (e.errno() != Errno.EEXIST) {
                    throw e;
                }
            }
            Tree.restoreTimes(upperRoot, before); // the guest made no change to its root
            fd = host.openChild(upperRoot, NAME, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
        }
        return fd;
    }

    /** A fresh name for a temporary object in the work directory. */
    byte[] tempName() {
        return ("tmp-" + ProcessHandle.current().pid() + "-" + temps.incrementAndGet())
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The index name of the lower file open on {@code lowerFd}: its file handle, which outlives reboots. */
    private static byte[] indexName(int lowerFd, int layer, Stat st) {
        String id;
        try {
            FileHandle h = Fs.nameToHandleAt(lowerFd, "", AtFlags.AT_EMPTY_PATH);
            id = Integer.toHexString(h.handleType()) + "-" + HexFormat.of().formatHex(h.bytes());
        } catch (PosixException e) {
            id = st.dev() + "-" + st.ino(); // no handles on this filesystem
        }
        return ("index-" + layer + "-" + id).getBytes(StandardCharsets.US_ASCII);
    }

    /** The index entry of a hard-linked lower file already copied up, or null. */
    byte[] copyOf(int lowerFd, int layer, Stat st) throws PosixException {
        int dir = fd;
        if (dir < 0) {
            return null;
        }
        byte[] name = indexName(lowerFd, layer, st);
        return Host.exists(dir, name) ? name : null;
    }

    /** Indexes {@code copyFd}, the first upper copy of the hard-linked lower file {@code lowerFd}. */
    void index(int copyFd, int lowerFd, int layer, Stat st) throws PosixException {
        Tree.link(copyFd, fd(), indexName(lowerFd, layer, st));
        setLinks(copyFd, 1, st.nlink());
    }

    /** Links the indexed copy {@code index} as {@code name} in {@code dir}: one more lower name linked. */
    void linkCopy(byte[] index, int dir, byte[] name) throws PosixException {
        Fs.linkat(fd(), new String(index, StandardCharsets.US_ASCII), dir, name, 0);
        int copy = host.openChild(fd(), index, OpenFlags.O_PATH, 0);
        try {
            int[] links = links(copy);
            setLinks(copy, links == null ? 1 : links[0] + 1, links == null ? 1 : links[1]);
        } finally {
            Host.close(copy);
        }
    }

    /** [lower names linked, lower link count] of an indexed copy, or null if it is none. */
    int[] links(int copyFd) {
        try {
            String[] v = new String(Xattrs.getxattr(Host.proc(copyFd), linksXattr, true), StandardCharsets.US_ASCII)
                    .split(" ");
            return new int[] {Integer.parseInt(v[0]), Integer.parseInt(v[1])};
        } catch (PosixException | RuntimeException e) {
            return null;
        }
    }

    private void setLinks(int copyFd, int linked, int lowerNlink) throws PosixException {
        Xattrs.setxattr(Host.proc(copyFd), linksXattr, (linked + " " + lowerNlink).getBytes(StandardCharsets.US_ASCII),
                0, true);
    }

    /**
     * Swaps {@code name} in the upper directory {@code dir} for a 0/0 whiteout in one rename
     * (RENAME_WHITEOUT), then deletes what it named. False if the filesystem cannot.
     */
    boolean replaceWithWhiteout(int dir, byte[] name) throws PosixException {
        byte[] tmp = tempName();
        try {
            Fs.renameat2(dir, name, fd(), tmp, RenameFlags.RENAME_WHITEOUT);
        } catch (PosixException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.EOPNOTSUPP) {
                return false;
            }
            throw e;
        }
        purge(fd(), tmp, 0);
        return true;
    }

    /** Deletes {@code name} in {@code dir} and, for a directory, everything below; symlinks are never followed. */
    private void purge(int dir, byte[] name, int depth) throws PosixException {
        Stat st = Fs.fstatat(dir, name, AtFlags.AT_SYMLINK_NOFOLLOW);
        if (st.isDirectory() && depth < MAX_DEPTH) {
            int sub = host.openChild(dir, name, OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
            try {
                for (DirEntry64 e : entries(sub)) {
                    purge(sub, e.rawName(), depth + 1);
                }
            } finally {
                Host.close(sub);
            }
            Fs.unlinkat(dir, name, AtFlags.AT_REMOVEDIR);
        } else {
            Fs.unlinkat(dir, name, 0);
        }
    }

    private List<DirEntry64> entries(int dirFd) throws PosixException {
        int rd = host.reopen(dirFd, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        try {
            List<DirEntry64> all = new java.util.ArrayList<>();
            for (List<DirEntry64> b = Fs.getdents64(rd); !b.isEmpty(); b = Fs.getdents64(rd)) {
                for (DirEntry64 e : b) {
                    if (!Listing.isDotOrDotDot(e.rawName())) {
                        all.add(e);
                    }
                }
            }
            return all;
        } finally {
            Host.close(rd);
        }
    }

    @Override
    public synchronized void close() {
        Host.close(fd);
        fd = -1;
    }
}

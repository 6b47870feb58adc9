package org.jvirtiofs.fs.passthrough;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.FcntlFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A passthrough share's hot-swap state, both ways. Everything travels as duplicated descriptors:
 * O_PATH fds for nodes (so unlinked files and other inode-file-handles modes work), the open
 * files for handles (sharing offsets and flock locks) and the lock-owner fds (keeping OFD locks),
 * plus each node's path for a taker that serves another tree.
 */
final class PassthroughHandover {
    private static final Logger LOG = LoggerFactory.getLogger(PassthroughHandover.class);

    private PassthroughHandover() {
    }

    /** Describes everything the guest holds in {@code dir}; the caller closes the result. */
    static Handover export(SharedDir dir) throws FsException {
        List<Integer> owned = new ArrayList<>();
        try {
            byte[] root = procFdPath(dir.inodes.root().fd);
            List<Handover.Node> nodes = new ArrayList<>();
            for (Inode inode : dir.inodes.all()) {
                int fd;
                try {
                    fd = dir.inodes.pathFdForHandover(inode);
                } catch (PosixException e) {
                    // e.g. ESTALE: a file deleted while the guest still holds it, known by its
                    // handle only; it cannot be reopened, so the taker answers it as stale too
                    LOG.debug("node {} goes over without a descriptor: {}", inode.nodeId, e.getMessage());
                    nodes.add(new Handover.Node(inode.nodeId, inode.generation, inode.lookups, inode.type, null, -1));
                    continue;
                }
                owned.add(fd);
                nodes.add(new Handover.Node(inode.nodeId, inode.generation, inode.lookups, inode.type,
                        relativePath(root, fd), fd));
            }
            List<Handover.Handle> handles = new ArrayList<>();
            for (Map.Entry<Long, OpenFile> e : dir.handles.files().entrySet()) {
                OpenFile f = e.getValue();
                int fd = dup(f.fd(), owned);
                handles.add(new Handover.Handle(e.getKey(), f.inode().nodeId, false, f.flags(), fd, Set.copyOf(f.lockOwners())));
            }
            for (Map.Entry<Long, DirectoryStream> e : dir.handles.dirs().entrySet()) {
                int fd;
                synchronized (e.getValue()) {
                    fd = dup(e.getValue().fd(), owned);
                }
                handles.add(new Handover.Handle(e.getKey(), 0, true, OpenFlags.O_RDONLY, fd, Set.of()));
            }
            List<Handover.Lock> locks = new ArrayList<>();
            for (Map.Entry<LockTable.Owner, Integer> e : dir.locks.all().entrySet()) {
                locks.add(new Handover.Lock(e.getKey().nodeId(), e.getKey().owner(), dup(e.getValue(), owned)));
            }
            LOG.info("handing over {} node(s), {} handle(s), {} lock owner(s)", nodes.size(), handles.size(),
                    locks.size());
            return new Handover(PassthroughFilesystemFactory.TYPE, nodes, handles, locks, closer(owned));
        } catch (PosixException e) {
            owned.forEach(Descriptors::closeQuietly);
            throw Errors.fs(e);
        }
    }

    /** Takes over {@code from} into a fresh {@code dir}: same node ids, handles and locks. */
    static void restore(SharedDir dir, Handover from) throws FsException {
        dir.inodes.reserveIds(from.maxNodeId());
        dir.handles.reserve(from.maxHandle());
        int nodes = 0;
        for (Handover.Node n : from.nodes()) {
            if (restore(dir, n)) {
                nodes++;
            }
        }
        int handles = 0;
        for (Handover.Handle h : from.handles()) {
            if (restore(dir, h)) {
                handles++;
            }
        }
        for (Handover.Lock l : from.locks()) {
            try {
                dir.locks.restore(l.nodeId(), l.owner(), Io.fcntl(l.fd(), FcntlFlags.F_DUPFD_CLOEXEC, 0));
            } catch (PosixException e) {
                LOG.warn("lock owner {} on node {} not taken over: {}", l.owner(), l.nodeId(), e.getMessage());
            }
        }
        LOG.info("took over {} of {} node(s) and {} of {} handle(s) from {}", nodes, from.nodes().size(), handles,
                from.handles().size(), from.providerType());
    }

    private static boolean restore(SharedDir dir, Handover.Node n) {
        int fd = -1;
        try {
            fd = n.fd() >= 0 ? Io.fcntl(n.fd(), FcntlFlags.F_DUPFD_CLOEXEC, 0) : openBeneathRoot(dir, n.path());
            if (fd < 0) {
                return false;
            }
            Stat st = Fs.fstat(fd);
            int taken = fd;
            fd = -1;
            return dir.inodes.restore(n.nodeId(), n.generation(), n.lookups(), taken, st) != null;
        } catch (PosixException | FsException e) {
            LOG.warn("node {} not taken over (the guest sees it stale): {}", n.nodeId(), e.getMessage());
            Descriptors.closeQuietly(fd);
            return false;
        }
    }

    private static boolean restore(SharedDir dir, Handover.Handle h) {
        if (h.fd() < 0) {
            return false;
        }
        try {
            int fd = Io.fcntl(h.fd(), FcntlFlags.F_DUPFD_CLOEXEC, 0);
            if (h.directory()) {
                dir.handles.restore(h.handle(), DirectoryStream.resumed(fd));
                return true;
            }
            Inode inode;
            try {
                inode = dir.inodes.get(h.nodeId());
            } catch (FsException e) {
                Descriptors.closeQuietly(fd);
                return false;
            }
            OpenFile file = new OpenFile(inode, fd, h.flags());
            file.lockOwners().addAll(h.lockOwners());
            dir.handles.restore(h.handle(), file);
            return true;
        } catch (PosixException e) {
            LOG.warn("handle {} not taken over: {}", h.handle(), e.getMessage());
            return false;
        }
    }

    /** Resolves a handed-over path component by component, confined; -1 if it is gone. */
    private static int openBeneathRoot(SharedDir dir, byte[] path) throws PosixException {
        if (path == null) {
            return -1;
        }
        int cur = Io.fcntl(dir.inodes.root().fd, FcntlFlags.F_DUPFD_CLOEXEC, 0);
        int start = 0;
        for (int i = 0; i <= path.length; i++) {
            if (i < path.length && path[i] != '/') {
                continue;
            }
            if (i > start) {
                try {
                    int next = dir.confinement.openChild(cur, Arrays.copyOfRange(path, start, i), OpenFlags.O_PATH, 0);
                    Descriptors.closeQuietly(cur);
                    cur = next;
                } catch (PosixException e) {
                    Descriptors.closeQuietly(cur);
                    return -1;
                }
            }
            start = i + 1;
        }
        return cur;
    }

    /**
     * The path, as exact bytes, of the file open on {@code fd} below {@code root}, or null
     * (unlinked, or elsewhere).
     */
    private static byte[] relativePath(byte[] root, int fd) {
        try {
            byte[] where = procFdPath(fd);
            if (endsWith(where, DELETED) || where.length <= root.length + 1
                    || !Arrays.equals(where, 0, root.length, root, 0, root.length) || where[root.length] != '/') {
                return null;
            }
            return Arrays.copyOfRange(where, root.length + 1, where.length);
        } catch (PosixException | RuntimeException e) {
            return null;
        }
    }

    private static final byte[] DELETED = " (deleted)".getBytes(StandardCharsets.US_ASCII);

    private static byte[] procFdPath(int fd) throws PosixException {
        return Fs.readlinkat(AtFlags.AT_FDCWD, ("/proc/self/fd/" + fd).getBytes(StandardCharsets.US_ASCII));
    }

    private static boolean endsWith(byte[] a, byte[] suffix) {
        return a.length >= suffix.length
                && Arrays.equals(a, a.length - suffix.length, a.length, suffix, 0, suffix.length);
    }

    private static int dup(int fd, List<Integer> owned) throws PosixException {
        int copy = Io.fcntl(fd, FcntlFlags.F_DUPFD_CLOEXEC, 0);
        owned.add(copy);
        return copy;
    }

    /**
     * Closes the handover's descriptors. Runs after this provider is closed, maybe after its bundle
     * was updated, so it uses nothing but what {@link #export} already loaded.
     */
    private static AutoCloseable closer(List<Integer> fds) {
        int[] copy = fds.stream().mapToInt(Integer::intValue).toArray();
        Descriptors.closeQuietly(-1); // links Descriptors now, while this bundle's class loader is sure to work
        return () -> {
            for (int fd : copy) {
                Descriptors.closeQuietly(fd);
            }
        };
    }
}

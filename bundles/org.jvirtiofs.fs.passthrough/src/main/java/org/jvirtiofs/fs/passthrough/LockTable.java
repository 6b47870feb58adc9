package org.jvirtiofs.fs.passthrough;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Flock;
import org.jvirtiofs.posix.LockFlags;
import org.jvirtiofs.posix.Locks;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/**
 * Guest POSIX record locks as host OFD locks. POSIX locks belong to a process and a file, so
 * each (node, lock owner) gets its own open file description to hold them: owners then conflict
 * with each other and with host processes, and one owner's locks never conflict with its own.
 * Closing that description, at FLUSH (close(2) in the guest), drops them as POSIX says. OFD
 * locks record no process, so the table keeps the guest process that last took a lock as each
 * owner, for GETLK to name.
 */
final class LockTable implements AutoCloseable {
    /** A guest lock owner on one node. */
    record Owner(long nodeId, long owner) {
    }

    private final Map<Owner, Integer> fds = new ConcurrentHashMap<>();
    private final Map<Owner, Integer> pids = new ConcurrentHashMap<>();
    private final Confinement confinement;

    LockTable(Confinement confinement) {
        this.confinement = confinement;
    }

    /** The owner's lock fd on the node, opened from {@code sourceFd} if it has none yet. */
    int fdFor(long nodeId, long owner, int sourceFd) throws PosixException {
        Owner key = new Owner(nodeId, owner);
        Integer fd = fds.get(key);
        if (fd != null) {
            return fd;
        }
        int opened = openForLocks(sourceFd);
        Integer raced = fds.putIfAbsent(key, opened);
        if (raced != null) {
            Descriptors.closeQuietly(opened);
            return raced;
        }
        return opened;
    }

    /** The owner's lock fd on the node, or -1. */
    int existing(long nodeId, long owner) {
        Integer fd = fds.get(new Owner(nodeId, owner));
        return fd == null ? -1 : fd;
    }

    /** The guest process {@code pid} took a lock as the owner on the node. */
    void took(long nodeId, long owner, int pid) {
        pids.put(new Owner(nodeId, owner), pid);
    }

    /**
     * The guest process holding the OFD lock (which records no pid) that stands in the way of
     * {@code owner}'s {@code wanted}: that of the other owner on the node whose own view of
     * {@code wanted} finds no conflict at all. A description's own locks never conflict with it,
     * so every conflicting lock is then that owner's or the asker's, and the one the asker met is
     * not its own. 0 when no owner is certain: a host's OFD lock, or several holders.
     */
    int holderOf(long nodeId, long owner, Flock wanted) throws PosixException {
        for (Map.Entry<Owner, Integer> e : fds.entrySet()) {
            Owner other = e.getKey();
            if (other.nodeId() == nodeId && other.owner() != owner
                    && Locks.ofdGetlk(e.getValue(), wanted).type() == LockFlags.F_UNLCK) {
                return pids.getOrDefault(other, 0);
            }
        }
        return 0;
    }

    /** Drops every lock the owner holds on the node. */
    void release(long nodeId, long owner) {
        pids.remove(new Owner(nodeId, owner));
        Integer fd = fds.remove(new Owner(nodeId, owner));
        if (fd != null) {
            Descriptors.closeQuietly(fd);
        }
    }

    /** The lock fds by owner, for a handover. */
    Map<Owner, Integer> all() {
        return Map.copyOf(fds);
    }

    /** Keeps a handed-over lock fd (this table closes it from now on). */
    void restore(long nodeId, long owner, int fd) {
        Integer old = fds.put(new Owner(nodeId, owner), fd);
        if (old != null) {
            Descriptors.closeQuietly(old);
        }
    }

    // read and write locks need read and write access; fall back for files we may not write
    private int openForLocks(int sourceFd) throws PosixException {
        try {
            return confinement.reopen(sourceFd, OpenFlags.O_RDWR | OpenFlags.O_NONBLOCK);
        } catch (PosixException e) {
            if (e.errno() != Errno.EACCES && e.errno() != Errno.EROFS && e.errno() != Errno.ETXTBSY) {
                throw e;
            }
            return confinement.reopen(sourceFd, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
        }
    }

    @Override
    public void close() {
        fds.values().forEach(Descriptors::closeQuietly);
        fds.clear();
    }
}

package org.jvirtiofs.fs.passthrough;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/**
 * One ordinary (not O_PATH) fd per host mount, which open_by_handle_at needs to know where a
 * handle lives. A mount's fd is the first directory or regular file met on it, reopened
 * read-only; files of other types cannot provide one.
 */
final class MountFds implements AutoCloseable {
    private final Map<Long, Integer> fds = new ConcurrentHashMap<>();
    private final Confinement confinement;

    MountFds(Confinement confinement) {
        this.confinement = confinement;
    }

    /** The mount's fd, or -1 if none is known and {@code pathFd} (of {@code type}) cannot give one. */
    int get(long mountId, int pathFd, int type) throws PosixException {
        Integer known = fds.get(mountId);
        if (known != null) {
            return known;
        }
        if (type != FileMode.S_IFDIR && type != FileMode.S_IFREG) {
            return -1;
        }
        int fd = confinement.reopen(pathFd, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
        Integer raced = fds.putIfAbsent(mountId, fd);
        if (raced != null) {
            Descriptors.closeQuietly(fd);
            return raced;
        }
        return fd;
    }

    /** The mount's fd, or -1 if none is known. */
    int get(long mountId) {
        Integer fd = fds.get(mountId);
        return fd == null ? -1 : fd;
    }

    @Override
    public void close() {
        fds.values().forEach(Descriptors::closeQuietly);
        fds.clear();
    }
}

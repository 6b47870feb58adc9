package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.Flock;
import org.jvirtiofs.posix.LockFlags;
import org.jvirtiofs.posix.Locks;
import org.jvirtiofs.posix.PosixException;

/**
 * POSIX record locks as host OFD locks (one open file description per lock owner, see
 * {@link LockTable}) and flock(2) locks on the handle's own fd, so guest and host processes
 * exclude each other. A waiting lock (SETLKW) blocks the worker thread until granted.
 */
final class LockOps {
    private final SharedDir dir;

    LockOps(SharedDir dir) {
        this.dir = dir;
    }

    FileLock getlk(long nodeId, long handle, long owner, FileLock lock)
            throws FsException, PosixException {
        OpenFile file = dir.handles.file(handle);
        int fd = dir.locks.existing(nodeId, owner);
        // without a lock fd the owner holds no locks, and the handle's fd never holds OFD locks
        Flock conflict = Locks.ofdGetlk(fd >= 0 ? fd : file.fd(), flock(lock));
        if (conflict.type() == LockFlags.F_UNLCK) {
            return FileLock.unlocked();
        }
        long end = conflict.len() == 0 ? FileLock.OFFSET_MAX : conflict.start() + conflict.len() - 1;
        return new FileLock(conflict.start(), end, conflict.type(), Math.max(conflict.pid(), 0));
    }

    void setlk(long nodeId, long handle, long owner, FileLock lock, boolean flock, boolean sleep)
            throws FsException, PosixException {
        OpenFile file = dir.handles.file(handle);
        if (flock) {
            int op = switch (lock.type()) {
                case FileLock.F_UNLCK -> LockFlags.LOCK_UN;
                case FileLock.F_RDLCK -> LockFlags.LOCK_SH;
                case FileLock.F_WRLCK -> LockFlags.LOCK_EX;
                default -> throw FsException.of(Errno.EINVAL);
            };
            Locks.flock(file.fd(), sleep || op == LockFlags.LOCK_UN ? op : op | LockFlags.LOCK_NB);
            return;
        }
        if (lock.type() == FileLock.F_UNLCK) {
            int fd = dir.locks.existing(nodeId, owner);
            if (fd >= 0) {
                Locks.ofdSetlk(fd, flock(lock));
            }
            return;
        }
        int fd = dir.locks.fdFor(nodeId, owner, file.fd());
        file.lockOwners().add(owner);
        if (sleep) {
            Locks.ofdSetlkw(fd, flock(lock));
        } else {
            Locks.ofdSetlk(fd, flock(lock));
        }
    }

    private static Flock flock(FileLock lock) throws FsException {
        if (lock.start() < 0 || lock.end() < lock.start()) {
            throw FsException.of(Errno.EINVAL);
        }
        long len = lock.toEndOfFile() ? 0 : lock.end() - lock.start() + 1;
        return Flock.of(lock.type(), lock.start(), len);
    }
}

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
 * exclude each other. A waiting lock (SETLKW) waits on its thread until granted, trying again
 * and again without blocking in the kernel, so that an interrupt of the thread ends the wait
 * (the transport serves it on a thread of its own and interrupts that when it stops: see
 * {@code FuseSession.mayBlock}).
 */
final class LockOps {
    /** How long a waiting lock sleeps between tries at most: what a release may wait to be seen. */
    private static final long MAX_RETRY_MILLIS = 20;
    private final SharedDir dir;

    LockOps(SharedDir dir) {
        this.dir = dir;
    }

    FileLock getlk(long nodeId, long handle, long owner, FileLock lock)
            throws FsException, PosixException {
        OpenFile file = dir.handles.file(handle);
        int fd = dir.locks.existing(nodeId, owner);
        // without a lock fd the owner holds no locks, and the handle's fd never holds OFD locks
        Flock wanted = flock(lock);
        Flock conflict = Locks.ofdGetlk(fd >= 0 ? fd : file.fd(), wanted);
        if (conflict.type() == LockFlags.F_UNLCK) {
            return FileLock.unlocked();
        }
        long end = conflict.len() == 0 ? FileLock.OFFSET_MAX : conflict.start() + conflict.len() - 1;
        // a host process's classic lock names its pid; an OFD lock (another owner's here) none
        int pid = conflict.pid() > 0 ? conflict.pid() : dir.locks.holderOf(nodeId, owner, wanted);
        return new FileLock(conflict.start(), end, conflict.type(), pid);
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
            if (op == LockFlags.LOCK_UN) {
                Locks.flock(file.fd(), op);
            } else if (sleep) {
                untilGranted(() -> Locks.flock(file.fd(), op | LockFlags.LOCK_NB));
            } else {
                Locks.flock(file.fd(), op | LockFlags.LOCK_NB);
            }
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
        Flock wanted = flock(lock);
        if (sleep) {
            untilGranted(() -> Locks.ofdSetlk(fd, wanted));
        } else {
            Locks.ofdSetlk(fd, wanted);
        }
        dir.locks.took(nodeId, owner, lock.pid());
    }

    /** A lock call that may find the lock taken (EAGAIN, or EACCES as POSIX also allows). */
    @FunctionalInterface
    private interface Attempt {
        void run() throws PosixException;
    }

    /**
     * Tries {@code attempt} until the lock is granted, sleeping 1 ms, then twice as long each
     * time up to 20 ms, in between; EINTR if the thread is interrupted meanwhile (the transport
     * is stopping).
     */
    private static void untilGranted(Attempt attempt) throws FsException, PosixException {
        long sleepMillis = 1;
        while (true) {
            try {
                attempt.run();
                return;
            } catch (PosixException e) {
                if (e.errno() != Errno.EAGAIN && e.errno() != Errno.EACCES) {
                    throw e;
                }
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw FsException.of(Errno.EINTR);
            }
            sleepMillis = Math.min(sleepMillis * 2, MAX_RETRY_MILLIS);
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

package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.PosixCalls;
import org.jvirtiofs.posix.jnr.Scratch;

/**
 * File locks: whole-file flock(2) and open-file-description record locks (F_OFD_*), which
 * belong to the open file, not the process, and so suit a daemon locking for many clients.
 */
public final class Locks {
    private Locks() {
    }

    /** flock(2) with {@link LockFlags} LOCK_SH/LOCK_EX/LOCK_UN, optionally | LOCK_NB (EWOULDBLOCK on conflict). */
    public static void flock(int fd, int operation) throws PosixException {
        if (PosixCalls.flock(fd, operation) < 0) {
            throw Native.error("flock", fd);
        }
    }

    /** F_OFD_GETLK: the first lock that would conflict with {@code lock}, or a copy of it with type F_UNLCK. */
    public static Flock ofdGetlk(int fd, Flock lock) throws PosixException {
        ByteBuffer buf = fcntlLock(fd, LockFlags.F_OFD_GETLK, lock, "fcntl(F_OFD_GETLK)");
        return new Flock(buf.getShort(0), buf.getShort(2), buf.getLong(8), buf.getLong(16), buf.getInt(24));
    }

    /** F_OFD_SETLK: takes or releases {@code lock}; EAGAIN when another lock conflicts. */
    public static void ofdSetlk(int fd, Flock lock) throws PosixException {
        fcntlLock(fd, LockFlags.F_OFD_SETLK, lock, "fcntl(F_OFD_SETLK)");
    }

    /** F_OFD_SETLKW: waits for {@code lock}; EINTR if a signal interrupts the wait. */
    public static void ofdSetlkw(int fd, Flock lock) throws PosixException {
        fcntlLock(fd, LockFlags.F_OFD_SETLKW, lock, "fcntl(F_OFD_SETLKW)");
    }

    /** Calls fcntl with {@code lock} as a struct flock in scratch; returns the struct as the kernel left it. */
    private static ByteBuffer fcntlLock(int fd, int cmd, Flock lock, String call) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(32);
        buf.putShort(0, (short) lock.type()).putShort(2, (short) lock.whence())
                .putLong(8, lock.start()).putLong(16, lock.len()).putInt(24, lock.pid());
        if (Native.libc().fcntl(fd, cmd, scratch.structAddress(0)) < 0) {
            throw Native.error(call, fd);
        }
        return buf;
    }
}

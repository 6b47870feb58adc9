package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.PosixCalls;
import org.jvirtiofs.posix.jnr.Scratch;

/**
 * Descriptor I/O: read and write into direct ByteBuffers without copying, vectored and
 * positioned I/O, syncing, sizing, holes, copying between files, pipes and poll.
 * Buffers are used from position to limit; calls that transfer data advance the positions.
 * Vectored calls take at most 1024 buffers (IOV_MAX); any beyond are left untouched.
 */
public final class Io {
    private static final int IOV_MAX = 1024;

    private Io() {
    }

    /** close(2). Linux releases the fd even when close reports EINTR or EIO: never retry. */
    public static void close(int fd) throws PosixException {
        if (PosixCalls.close(fd) < 0) {
            throw Native.error("close", fd);
        }
    }

    /**
     * close(2) where a failure can only be logged (release and error paths): nothing for a
     * negative {@code fd}, and a failure is logged at debug level.
     */
    public static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        if (PosixCalls.close(fd) < 0) {
            org.slf4j.LoggerFactory.getLogger(Io.class).debug("close({}): {}", fd, Native.error("close", fd).getMessage());
        }
    }

    /** dup(2): a new fd on the same open file description. */
    public static int dup(int fd) throws PosixException {
        int copy = PosixCalls.dup(fd);
        if (copy < 0) {
            throw Native.error("dup", fd);
        }
        return copy;
    }

    /** fcntl(2) with an int argument (F_GETFL, F_SETFL, F_GETFD, F_SETFD, F_DUPFD_CLOEXEC, F_ADD_SEALS...). */
    public static int fcntl(int fd, int cmd, int arg) throws PosixException {
        int result = PosixCalls.fcntl(fd, cmd, arg);
        if (result < 0) {
            throw Native.error("fcntl", fd);
        }
        return result;
    }

    /** read(2) into a direct buffer: returns the count (0 at end of file) and advances the position. */
    public static int read(int fd, ByteBuffer dst) throws PosixException {
        long n = Native.early().read(fd, Native.address(dst) + dst.position(), dst.remaining());
        if (n < 0) {
            throw Native.error("read", fd);
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** write(2) from a direct buffer: returns the count and advances the position. */
    public static int write(int fd, ByteBuffer src) throws PosixException {
        long n = Native.early().write(fd, Native.address(src) + src.position(), src.remaining());
        if (n < 0) {
            throw Native.error("write", fd);
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }

    /** pread(2) into a direct buffer at a file offset: returns the count and advances the position. */
    public static int pread(int fd, ByteBuffer dst, long offset) throws PosixException {
        long n = PosixCalls.pread(fd, Native.requireDirect(dst), offset);
        if (n < 0) {
            throw Native.error("pread", fd);
        }
        dst.position(dst.position() + (int) n);
        return (int) n;
    }

    /** pwrite(2) from a direct buffer at a file offset: returns the count and advances the position. */
    public static int pwrite(int fd, ByteBuffer src, long offset) throws PosixException {
        long n = PosixCalls.pwrite(fd, Native.requireDirect(src), offset);
        if (n < 0) {
            throw Native.error("pwrite", fd);
        }
        src.position(src.position() + (int) n);
        return (int) n;
    }

    /** preadv(2) scattering into direct buffers in order; returns the count and advances positions. */
    public static long preadv(int fd, ByteBuffer[] dsts, long offset) throws PosixException {
        int count = Math.min(dsts.length, IOV_MAX);
        long iov = iovecs(dsts, count);
        long n = Native.libc().preadv(fd, iov, count, offset);
        if (n < 0) {
            throw Native.error("preadv", fd);
        }
        advance(dsts, n);
        return n;
    }

    /** pwritev(2) gathering from direct buffers in order; returns the count and advances positions. */
    public static long pwritev(int fd, ByteBuffer[] srcs, long offset) throws PosixException {
        int count = Math.min(srcs.length, IOV_MAX);
        long iov = iovecs(srcs, count);
        long n = Native.libc().pwritev(fd, iov, count, offset);
        if (n < 0) {
            throw Native.error("pwritev", fd);
        }
        advance(srcs, n);
        return n;
    }

    /** Lays the first {@code count} buffers out as struct iovec[] in this thread's scratch. */
    private static long iovecs(ByteBuffer[] buffers, int count) {
        Scratch scratch = Scratch.get();
        ByteBuffer iov = scratch.array(count * 16);
        for (int i = 0; i < count; i++) {
            ByteBuffer b = buffers[i];
            iov.putLong(i * 16, Native.address(b) + b.position());
            iov.putLong(i * 16 + 8, b.remaining());
        }
        return scratch.arrayAddress();
    }

    /** Moves positions over {@code n} transferred bytes, filling each buffer before the next. */
    static void advance(ByteBuffer[] buffers, long n) {
        for (int i = 0; i < buffers.length && n > 0; i++) {
            int step = (int) Math.min(n, buffers[i].remaining());
            buffers[i].position(buffers[i].position() + step);
            n -= step;
        }
    }

    /** fsync(2). */
    public static void fsync(int fd) throws PosixException {
        if (PosixCalls.fsync(fd) < 0) {
            throw Native.error("fsync", fd);
        }
    }

    /** fdatasync(2). */
    public static void fdatasync(int fd) throws PosixException {
        if (PosixCalls.fdatasync(fd) < 0) {
            throw Native.error("fdatasync", fd);
        }
    }

    /** ftruncate(2). */
    public static void ftruncate(int fd, long length) throws PosixException {
        if (PosixCalls.ftruncate(fd, length) < 0) {
            throw Native.error("ftruncate", fd);
        }
    }

    /** fallocate(2) with {@link FallocFlags} FALLOC_FL_* mode bits. */
    public static void fallocate(int fd, int mode, long offset, long length) throws PosixException {
        if (Native.libc().fallocate(fd, mode, offset, length) < 0) {
            throw Native.error("fallocate", fd);
        }
    }

    /** lseek(2) with a {@link Whence} value; SEEK_DATA/SEEK_HOLE past the last data give ENXIO. */
    public static long lseek(int fd, long offset, int whence) throws PosixException {
        long result = Native.libc().lseek(fd, offset, whence);
        if (result < 0) {
            throw Native.error("lseek", fd);
        }
        return result;
    }

    /** copy_file_range(2) between explicit offsets (neither file position moves): returns the count copied. */
    public static long copyFileRange(int fdIn, long offIn, int fdOut, long offOut, long length) throws PosixException {
        Scratch scratch = Scratch.get();
        scratch.struct(16).putLong(0, offIn).putLong(8, offOut);
        long n = Native.libc().copy_file_range(fdIn, scratch.structAddress(0), fdOut, scratch.structAddress(8), length, 0);
        if (n < 0) {
            throw Native.error("copy_file_range", fdIn);
        }
        return n;
    }

    /** pipe2(2) with O_CLOEXEC/O_NONBLOCK/O_DIRECT: {read end, write end}. */
    public static int[] pipe2(int flags) throws PosixException {
        int[] fds = new int[2];
        if (Native.libc().pipe2(fds, flags) < 0) {
            throw Native.error("pipe2", null);
        }
        return fds;
    }

    /**
     * poll(2) on {@code fds[i]} for {@link PollFlags} {@code events[i]}; fills {@code revents}
     * and returns how many fds are ready (0 on timeout). A negative timeout waits forever.
     */
    public static int poll(int[] fds, int[] events, int[] revents, int timeoutMillis) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer pollfds = scratch.array(fds.length * 8);
        for (int i = 0; i < fds.length; i++) {
            pollfds.putInt(i * 8, fds[i]).putShort(i * 8 + 4, (short) events[i]).putShort(i * 8 + 6, (short) 0);
        }
        int ready = Native.early().poll(scratch.arrayAddress(), fds.length, timeoutMillis);
        if (ready < 0) {
            throw Native.error("poll", null);
        }
        for (int i = 0; i < fds.length; i++) {
            revents[i] = Short.toUnsignedInt(pollfds.getShort(i * 8 + 6));
        }
        return ready;
    }
}

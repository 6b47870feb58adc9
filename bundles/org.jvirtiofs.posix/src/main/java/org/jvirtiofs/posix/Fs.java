package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jvirtiofs.posix.jnr.LibC;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.PosixCalls;
import org.jvirtiofs.posix.jnr.Scratch;

/**
 * Paths relative to directory fds: opening, stat, the *at family, rename, modes and owners,
 * times and directory listing. Paths are UTF-8; {@code dirfd} may be {@link AtFlags#AT_FDCWD}.
 * The calls that take names from elsewhere (a guest, a directory listing) also take them as
 * {@code byte[]}: the exact bytes, without the terminating NUL, so names that are not UTF-8
 * reach the kernel unchanged.
 */
public final class Fs {
    private static final int PATH_MAX = 4096;

    private Fs() {
    }

    /** openat(2): returns the new fd. */
    public static int openat(int dirfd, String path, int flags, int mode) throws PosixException {
        int fd = Native.early().openat(dirfd, path, flags, mode);
        if (fd < 0) {
            throw Native.error("openat", path);
        }
        return fd;
    }

    /** openat(2) of a name given as bytes: returns the new fd. */
    public static int openat(int dirfd, byte[] path, int flags, int mode) throws PosixException {
        int fd = Native.early().openat(dirfd, cstr(path), flags, mode);
        if (fd < 0) {
            throw Native.error("openat", display(path));
        }
        return fd;
    }

    /**
     * openat2(2) with a struct open_how of {@code flags}, {@code mode} and {@code resolve}
     * ({@link OpenFlags} RESOLVE_*): returns the new fd.
     */
    public static int openat2(int dirfd, String path, long flags, long mode, long resolve) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer how = scratch.struct(24);
        how.putLong(0, flags).putLong(8, mode).putLong(16, resolve);
        long fd = Native.libc().syscall(LibC.SYS_OPENAT2, dirfd, path, scratch.structAddress(0), 24);
        if (fd < 0) {
            throw Native.error("openat2", path);
        }
        return (int) fd;
    }

    /** openat2(2) of a name given as bytes: returns the new fd. */
    public static int openat2(int dirfd, byte[] path, long flags, long mode, long resolve) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer how = scratch.struct(24);
        how.putLong(0, flags).putLong(8, mode).putLong(16, resolve);
        long fd = Native.libc().syscall(LibC.SYS_OPENAT2, dirfd, cstr(path), scratch.structAddress(0), 24);
        if (fd < 0) {
            throw Native.error("openat2", display(path));
        }
        return (int) fd;
    }

    /** statx(2) with {@link AtFlags} AT_* flags and a STATX_* mask. */
    public static Stat statx(int dirfd, String path, int flags, int mask) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(256);
        if (Native.early().statx(dirfd, path, flags, mask, scratch.structAddress(0)) < 0) {
            throw Native.error("statx", path);
        }
        return statxResult(buf);
    }

    /** statx(2) of a name given as bytes. */
    public static Stat statx(int dirfd, byte[] path, int flags, int mask) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(256);
        if (Native.early().statx(dirfd, cstr(path), flags, mask, scratch.structAddress(0)) < 0) {
            throw Native.error("statx", display(path));
        }
        return statxResult(buf);
    }

    private static Stat statxResult(ByteBuffer buf) {
        return new Stat(buf.getInt(0), buf.getInt(4), buf.getLong(8), buf.getInt(16), buf.getInt(20),
                buf.getInt(24), Short.toUnsignedInt(buf.getShort(28)), buf.getLong(32), buf.getLong(40),
                buf.getLong(48), buf.getLong(56), buf.getLong(64), buf.getInt(72), buf.getLong(80),
                buf.getInt(88), buf.getLong(96), buf.getInt(104), buf.getLong(112), buf.getInt(120),
                buf.getInt(128), buf.getInt(132), buf.getInt(136), buf.getInt(140), buf.getLong(144));
    }

    /** statx on an open fd (AT_EMPTY_PATH), basic stats plus the mount id. */
    public static Stat fstat(int fd) throws PosixException {
        return statx(fd, "", AtFlags.AT_EMPTY_PATH, AtFlags.STATX_BASIC_STATS | AtFlags.STATX_MNT_ID);
    }

    /** fstatat(2) with {@link AtFlags} AT_* flags: struct stat, without btime or mount id. */
    public static Stat fstatat(int dirfd, String path, int flags) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(144);
        if (Native.early().fstatat(dirfd, path, scratch.structAddress(0), flags) < 0) {
            throw Native.error("fstatat", path);
        }
        return statResult(buf);
    }

    /** fstatat(2) of a name given as bytes. */
    public static Stat fstatat(int dirfd, byte[] path, int flags) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(144);
        if (Native.early().fstatat(dirfd, cstr(path), scratch.structAddress(0), flags) < 0) {
            throw Native.error("fstatat", display(path));
        }
        return statResult(buf);
    }

    private static Stat statResult(ByteBuffer buf) {
        long dev = buf.getLong(0);
        long rdev = buf.getLong(40);
        return new Stat(AtFlags.STATX_BASIC_STATS, (int) buf.getLong(56), 0L, (int) buf.getLong(16),
                buf.getInt(28), buf.getInt(32), buf.getInt(24), buf.getLong(8), buf.getLong(48),
                buf.getLong(64), 0L, buf.getLong(72), (int) buf.getLong(80), 0L, 0,
                buf.getLong(104), (int) buf.getLong(112), buf.getLong(88), (int) buf.getLong(96),
                Stat.major(rdev), Stat.minor(rdev), Stat.major(dev), Stat.minor(dev), 0L);
    }

    /** mkdirat(2). */
    public static void mkdirat(int dirfd, String path, int mode) throws PosixException {
        if (Native.libc().mkdirat(dirfd, path, mode) < 0) {
            throw Native.error("mkdirat", path);
        }
    }

    /** mkdirat(2) of a name given as bytes. */
    public static void mkdirat(int dirfd, byte[] path, int mode) throws PosixException {
        if (Native.libc().mkdirat(dirfd, cstr(path), mode) < 0) {
            throw Native.error("mkdirat", display(path));
        }
    }

    /** mknodat(2): {@code mode} carries the S_IF* type; {@code dev} is an encoded dev_t. */
    public static void mknodat(int dirfd, String path, int mode, long dev) throws PosixException {
        if (Native.libc().mknodat(dirfd, path, mode, dev) < 0) {
            throw Native.error("mknodat", path);
        }
    }

    /** mknodat(2) of a name given as bytes. */
    public static void mknodat(int dirfd, byte[] path, int mode, long dev) throws PosixException {
        if (Native.libc().mknodat(dirfd, cstr(path), mode, dev) < 0) {
            throw Native.error("mknodat", display(path));
        }
    }

    /** symlinkat(2): creates {@code linkpath} pointing at {@code target}. */
    public static void symlinkat(String target, int newdirfd, String linkpath) throws PosixException {
        if (Native.libc().symlinkat(target, newdirfd, linkpath) < 0) {
            throw Native.error("symlinkat", linkpath);
        }
    }

    /** symlinkat(2) with the target and the name as bytes. */
    public static void symlinkat(byte[] target, int newdirfd, byte[] linkpath) throws PosixException {
        if (Native.libc().symlinkat(cstr(target), newdirfd, cstr(linkpath)) < 0) {
            throw Native.error("symlinkat", display(linkpath));
        }
    }

    /** readlinkat(2): the link's target; an empty path with an O_PATH fd reads that link. */
    public static String readlinkat(int dirfd, String path) throws PosixException {
        for (int size = PATH_MAX; ; size *= 2) {
            byte[] buf = new byte[size];
            long n = Native.libc().readlinkat(dirfd, path, buf, size);
            if (n < 0) {
                throw Native.error("readlinkat", path);
            }
            if (n < size) { // n == size may mean truncated: retry larger
                return new String(buf, 0, (int) n, StandardCharsets.UTF_8);
            }
        }
    }

    /** readlinkat(2) of a name given as bytes: the target's exact bytes. */
    public static byte[] readlinkat(int dirfd, byte[] path) throws PosixException {
        byte[] name = cstr(path);
        for (int size = PATH_MAX; ; size *= 2) {
            byte[] buf = new byte[size];
            long n = Native.libc().readlinkat(dirfd, name, buf, size);
            if (n < 0) {
                throw Native.error("readlinkat", display(path));
            }
            if (n < size) { // n == size may mean truncated: retry larger
                return Arrays.copyOf(buf, (int) n);
            }
        }
    }

    /** linkat(2) with AT_SYMLINK_FOLLOW or AT_EMPTY_PATH flags. */
    public static void linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
            throws PosixException {
        if (Native.libc().linkat(olddirfd, oldpath, newdirfd, newpath, flags) < 0) {
            throw Native.error("linkat", newpath);
        }
    }

    /** linkat(2) with the new name as bytes; {@code oldpath} is our own (often "" or /proc/self/fd/N). */
    public static void linkat(int olddirfd, String oldpath, int newdirfd, byte[] newpath, int flags)
            throws PosixException {
        byte[] old = oldpath.getBytes(StandardCharsets.UTF_8);
        if (Native.libc().linkat(olddirfd, cstr(old), newdirfd, cstr(newpath), flags) < 0) {
            throw Native.error("linkat", display(newpath));
        }
    }

    /** unlinkat(2); AT_REMOVEDIR removes a directory. */
    public static void unlinkat(int dirfd, String path, int flags) throws PosixException {
        if (Native.libc().unlinkat(dirfd, path, flags) < 0) {
            throw Native.error("unlinkat", path);
        }
    }

    /** unlinkat(2) of a name given as bytes. */
    public static void unlinkat(int dirfd, byte[] path, int flags) throws PosixException {
        if (Native.libc().unlinkat(dirfd, cstr(path), flags) < 0) {
            throw Native.error("unlinkat", display(path));
        }
    }

    /** renameat2(2) with {@link RenameFlags} RENAME_* flags. */
    public static void renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
            throws PosixException {
        if (Native.libc().renameat2(olddirfd, oldpath, newdirfd, newpath, flags) < 0) {
            throw Native.error("renameat2", oldpath);
        }
    }

    /** renameat2(2) of names given as bytes. */
    public static void renameat2(int olddirfd, byte[] oldpath, int newdirfd, byte[] newpath, int flags)
            throws PosixException {
        if (Native.libc().renameat2(olddirfd, cstr(oldpath), newdirfd, cstr(newpath), flags) < 0) {
            throw Native.error("renameat2", display(oldpath));
        }
    }

    /** fchmodat(2); glibc refuses AT_SYMLINK_NOFOLLOW on symlinks with EOPNOTSUPP. */
    public static void fchmodat(int dirfd, String path, int mode, int flags) throws PosixException {
        if (Native.libc().fchmodat(dirfd, path, mode, flags) < 0) {
            throw Native.error("fchmodat", path);
        }
    }

    /** fchmod(2). */
    public static void fchmod(int fd, int mode) throws PosixException {
        if (PosixCalls.fchmod(fd, mode) < 0) {
            throw Native.error("fchmod", fd);
        }
    }

    /** fchownat(2); -1 leaves an id unchanged. */
    public static void fchownat(int dirfd, String path, int uid, int gid, int flags) throws PosixException {
        if (Native.libc().fchownat(dirfd, path, uid, gid, flags) < 0) {
            throw Native.error("fchownat", path);
        }
    }

    /** fchown(2); -1 leaves an id unchanged. */
    public static void fchown(int fd, int uid, int gid) throws PosixException {
        if (PosixCalls.fchown(fd, uid, gid) < 0) {
            throw Native.error("fchown", fd);
        }
    }

    /**
     * utimensat(2): nanoseconds may be {@link AtFlags#UTIME_NOW} or {@link AtFlags#UTIME_OMIT};
     * an empty path with AT_EMPTY_PATH sets the times of {@code dirfd} itself.
     */
    public static void utimensat(int dirfd, String path, long atimeSec, long atimeNsec,
                                 long mtimeSec, long mtimeNsec, int flags) throws PosixException {
        Scratch scratch = Scratch.get();
        scratch.struct(32).putLong(0, atimeSec).putLong(8, atimeNsec).putLong(16, mtimeSec).putLong(24, mtimeNsec);
        if (Native.libc().utimensat(dirfd, path, scratch.structAddress(0), flags) < 0) {
            throw Native.error("utimensat", path);
        }
    }

    /**
     * getdents64(2): the next batch of entries of the directory open on {@code fd}, empty at
     * the end. Resume elsewhere with lseek to an entry's {@code off}.
     */
    public static List<DirEntry64> getdents64(int fd) throws PosixException {
        ByteBuffer buf = Scratch.get().dirents();
        long n = Native.libc().getdents64(fd, Native.address(buf), buf.capacity());
        if (n < 0) {
            throw Native.error("getdents64", fd);
        }
        List<DirEntry64> entries = new ArrayList<>();
        byte[] name = new byte[256];
        for (int pos = 0; pos < n; ) {
            int reclen = Short.toUnsignedInt(buf.getShort(pos + 16));
            int length = 0;
            while (buf.get(pos + 19 + length) != 0) {
                name[length] = buf.get(pos + 19 + length);
                length++;
            }
            entries.add(new DirEntry64(buf.getLong(pos), buf.getLong(pos + 8), Byte.toUnsignedInt(buf.get(pos + 18)),
                    Arrays.copyOf(name, length)));
            pos += reclen;
        }
        return entries;
    }

    /**
     * name_to_handle_at(2): a handle for the file (AT_EMPTY_PATH for {@code dirfd} itself,
     * AT_SYMLINK_FOLLOW to follow a final symlink).
     */
    public static FileHandle nameToHandleAt(int dirfd, String path, int flags) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(Scratch.STRUCT_SIZE);
        buf.putInt(0, 128); // MAX_HANDLE_SZ bytes of room after the 8-byte header
        if (Native.libc().name_to_handle_at(dirfd, path, scratch.structAddress(0), scratch.structAddress(256), flags) < 0) {
            throw Native.error("name_to_handle_at", path);
        }
        byte[] bytes = new byte[buf.getInt(0)];
        buf.get(8, bytes);
        return new FileHandle(buf.getInt(4), bytes, Integer.toUnsignedLong(buf.getInt(256)));
    }

    /**
     * open_by_handle_at(2): needs CAP_DAC_READ_SEARCH. {@code mountFd} is any fd on the handle's
     * mount except an O_PATH one (EBADF).
     */
    public static int openByHandleAt(int mountFd, FileHandle handle, int flags) throws PosixException {
        Scratch scratch = Scratch.get();
        byte[] bytes = handle.rawBytes();
        ByteBuffer buf = scratch.struct(8 + bytes.length);
        buf.putInt(0, bytes.length).putInt(4, handle.handleType()).put(8, bytes);
        int fd = Native.libc().open_by_handle_at(mountFd, scratch.structAddress(0), flags);
        if (fd < 0) {
            throw Native.error("open_by_handle_at", mountFd);
        }
        return fd;
    }

    /** {@code name} with the terminating NUL C wants; a NUL inside would cut it short, so EINVAL. */
    private static byte[] cstr(byte[] name) throws PosixException {
        for (byte b : name) {
            if (b == 0) {
                throw new PosixException(Errno.EINVAL, "path", display(name));
            }
        }
        return Arrays.copyOf(name, name.length + 1);
    }

    /** A name for messages: bytes that are not UTF-8 show as U+FFFD. */
    private static String display(byte[] name) {
        return new String(name, StandardCharsets.UTF_8);
    }
}

package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.Scratch;

/** Mounting, unmounting and whole-file-system calls: mount, umount2, statfs, fstatfs, syncfs. */
public final class Mounts {
    /**
     * statfs types whose regular files have no flush operation in Linux: ext2/3/4, XFS, Btrfs and
     * tmpfs. Not F2FS (its flush aborts an atomic write), nor overlayfs, whose flush is its upper
     * layer's, nor anything remote or in user space (NFS, CIFS, FUSE).
     */
    private static final long[] NO_FLUSH_OPERATION = {0xEF53L, 0x58465342L, 0x9123683EL, 0x01021994L};

    private Mounts() {
    }

    /** mount(2) with {@link MountFlags} MS_* flags; {@code source} and {@code data} may be null. */
    public static void mount(String source, String target, String fstype, long flags, String data)
            throws PosixException {
        if (Native.libc().mount(source, target, fstype, flags, data) < 0) {
            throw Native.error("mount", target);
        }
    }

    /** umount2(2) with MNT_DETACH/MNT_FORCE/MNT_EXPIRE/UMOUNT_NOFOLLOW or 0. */
    public static void umount2(String target, int flags) throws PosixException {
        if (Native.libc().umount2(target, flags) < 0) {
            throw Native.error("umount2", target);
        }
    }

    /** statfs(2) of the file system holding {@code path}. */
    public static StatFs statfs(String path) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(120);
        if (Native.libc().statfs(path, scratch.structAddress(0)) < 0) {
            throw Native.error("statfs", path);
        }
        return statFs(buf);
    }

    /** fstatfs(2) of the file system holding {@code fd} (O_PATH fds work). */
    public static StatFs fstatfs(int fd) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(120);
        if (Native.libc().fstatfs(fd, scratch.structAddress(0)) < 0) {
            throw Native.error("fstatfs", fd);
        }
        return statFs(buf);
    }

    /**
     * Whether close(2) of any descriptor of a file on the file system holding {@code fd} is sure
     * to report nothing, and so a close of a duplicate has nothing to tell. close reports only
     * what the file system's flush operation says; the local file systems listed in
     * {@link #NO_FLUSH_OPERATION} have none, and report write errors at the write or at fsync.
     * False for every other file system, known or not.
     */
    public static boolean closeReportsNothing(int fd) throws PosixException {
        long type = fstatfs(fd).type();
        for (long t : NO_FLUSH_OPERATION) {
            if (t == type) {
                return true;
            }
        }
        return false;
    }

    private static StatFs statFs(ByteBuffer buf) {
        return new StatFs(buf.getLong(0), buf.getLong(8), buf.getLong(16), buf.getLong(24), buf.getLong(32),
                buf.getLong(40), buf.getLong(48), buf.getLong(56), buf.getLong(64), buf.getLong(72), buf.getLong(80));
    }

    /** syncfs(2): flushes the whole file system holding {@code fd}. */
    public static void syncfs(int fd) throws PosixException {
        if (Native.libc().syncfs(fd) < 0) {
            throw Native.error("syncfs", fd);
        }
    }
}

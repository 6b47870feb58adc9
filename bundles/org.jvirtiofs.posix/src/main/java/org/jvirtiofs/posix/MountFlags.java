package org.jvirtiofs.posix;

/** mount(2) flags (MS_*) and umount2(2) flags (MNT_*, UMOUNT_NOFOLLOW). */
public final class MountFlags {
    public static final long MS_RDONLY = 1L;
    public static final long MS_NOSUID = 2L;
    public static final long MS_NODEV = 4L;
    public static final long MS_NOEXEC = 8L;
    public static final long MS_SYNCHRONOUS = 16L;
    public static final long MS_REMOUNT = 32L;
    public static final long MS_MANDLOCK = 64L;
    public static final long MS_DIRSYNC = 128L;
    public static final long MS_NOSYMFOLLOW = 256L;
    public static final long MS_NOATIME = 1024L;
    public static final long MS_NODIRATIME = 2048L;
    public static final long MS_BIND = 4096L;
    public static final long MS_MOVE = 8192L;
    public static final long MS_REC = 16384L;
    public static final long MS_SILENT = 32768L;
    public static final long MS_POSIXACL = 1L << 16;
    public static final long MS_UNBINDABLE = 1L << 17;
    public static final long MS_PRIVATE = 1L << 18;
    public static final long MS_SLAVE = 1L << 19;
    public static final long MS_SHARED = 1L << 20;
    public static final long MS_RELATIME = 1L << 21;
    public static final long MS_KERNMOUNT = 1L << 22;
    public static final long MS_I_VERSION = 1L << 23;
    public static final long MS_STRICTATIME = 1L << 24;
    public static final long MS_LAZYTIME = 1L << 25;
    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;
    public static final int MNT_EXPIRE = 4;
    public static final int UMOUNT_NOFOLLOW = 8;

    private MountFlags() {
    }
}

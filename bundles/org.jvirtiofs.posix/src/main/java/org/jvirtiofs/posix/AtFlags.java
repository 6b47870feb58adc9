package org.jvirtiofs.posix;

/** The *at(2) family's dirfd and flags (AT_*), utimensat's UTIME_* and statx's STATX_* mask bits. */
public final class AtFlags {
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_EACCESS = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_NO_AUTOMOUNT = 0x800;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int AT_STATX_SYNC_AS_STAT = 0;
    public static final int AT_STATX_FORCE_SYNC = 0x2000;
    public static final int AT_STATX_DONT_SYNC = 0x4000;
    public static final long UTIME_NOW = 0x3fffffffL;
    public static final long UTIME_OMIT = 0x3ffffffeL;
    public static final int STATX_TYPE = 0x1;
    public static final int STATX_MODE = 0x2;
    public static final int STATX_NLINK = 0x4;
    public static final int STATX_UID = 0x8;
    public static final int STATX_GID = 0x10;
    public static final int STATX_ATIME = 0x20;
    public static final int STATX_MTIME = 0x40;
    public static final int STATX_CTIME = 0x80;
    public static final int STATX_INO = 0x100;
    public static final int STATX_SIZE = 0x200;
    public static final int STATX_BLOCKS = 0x400;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int STATX_BTIME = 0x800;
    public static final int STATX_MNT_ID = 0x1000;

    private AtFlags() {
    }
}

package org.jvirtiofs.api;

/** File type and permission bits of {@code st_mode} (S_IF*, S_IS*) and the d_type values (DT_*). */
public final class FileMode {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;
    /** All permission bits, including set-id and sticky. */
    public static final int ALLPERMS = 07777;

    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;
    public static final int DT_WHT = 14;

    private FileMode() {
    }

    /** The S_IF* type bits of {@code mode}. */
    public static int type(int mode) {
        return mode & S_IFMT;
    }

    /** The permission bits of {@code mode}, set-id and sticky included. */
    public static int permissions(int mode) {
        return mode & ALLPERMS;
    }

    /** Whether {@code mode} is a directory. */
    public static boolean isDirectory(int mode) {
        return type(mode) == S_IFDIR;
    }

    /** Whether {@code mode} is a regular file. */
    public static boolean isRegularFile(int mode) {
        return type(mode) == S_IFREG;
    }

    /** Whether {@code mode} is a symbolic link. */
    public static boolean isSymlink(int mode) {
        return type(mode) == S_IFLNK;
    }

    /** The DT_* value for {@code mode}, as readdir reports it (Linux: DT_x is S_IFx >> 12). */
    public static int direntType(int mode) {
        return type(mode) >>> 12;
    }
}

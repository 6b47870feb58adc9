package org.jvirtiofs.posix;

/**
 * File status as statx(2) reports it; from fstatat(2) the btime and mount id are zero and
 * {@code mask} is {@link AtFlags#STATX_BASIC_STATS}.
 */
public record Stat(int mask, int blksize, long attributes, int nlink, int uid, int gid, int mode,
                   long ino, long size, long blocks, long attributesMask,
                   long atimeSec, int atimeNsec, long btimeSec, int btimeNsec,
                   long ctimeSec, int ctimeNsec, long mtimeSec, int mtimeNsec,
                   int rdevMajor, int rdevMinor, int devMajor, int devMinor, long mountId) {

    /** The file type bits of {@code mode}, one of the {@link FileMode} S_IF* values. */
    public int type() {
        return mode & FileMode.S_IFMT;
    }

    /** The permission bits of {@code mode}, with set-id and sticky bits. */
    public int permissions() {
        return mode & ~FileMode.S_IFMT;
    }

    /** Whether this is a directory. */
    public boolean isDirectory() {
        return type() == FileMode.S_IFDIR;
    }

    /** Whether this is a regular file. */
    public boolean isRegularFile() {
        return type() == FileMode.S_IFREG;
    }

    /** Whether this is a symbolic link. */
    public boolean isSymlink() {
        return type() == FileMode.S_IFLNK;
    }

    /** The device as glibc's makedev(3) encodes a dev_t. */
    public long dev() {
        return makedev(devMajor, devMinor);
    }

    /** The represented device (for device files) as an encoded dev_t. */
    public long rdev() {
        return makedev(rdevMajor, rdevMinor);
    }

    /** glibc's dev_t encoding: 12+20 bits of major, 8+24 bits of minor, interleaved. */
    public static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffL) << 8) | ((ma & ~0xfffL) << 32) | (mi & 0xffL) | ((mi & ~0xffL) << 12);
    }

    /** The major number of an encoded dev_t. */
    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL));
    }

    /** The minor number of an encoded dev_t. */
    public static int minor(long dev) {
        return (int) ((dev & 0xffL) | ((dev >>> 12) & ~0xffL));
    }
}

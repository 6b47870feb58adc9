package org.jvirtiofs.api;

/**
 * The open(2) flags of a FUSE open file (O_*), as the guest passed them.
 *
 * <p>Values are the x86_64 (asm-generic) ones. FUSE does not translate flags between
 * architectures, and arm64 differs for O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE.
 *
 * @param bits the O_* bits
 */
public record OpenFlags(int bits) {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 01;
    public static final int O_RDWR = 02;
    public static final int O_ACCMODE = 03;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int FASYNC = 020000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0100000;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    /** O_SYNC includes O_DSYNC. */
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;
    /** O_TMPFILE includes O_DIRECTORY. */
    public static final int O_TMPFILE = 020200000;

    /** The access mode: {@link #O_RDONLY}, {@link #O_WRONLY} or {@link #O_RDWR}. */
    public int accessMode() {
        return bits & O_ACCMODE;
    }

    /** Whether the file may be read through this handle. */
    public boolean canRead() {
        int mode = accessMode();
        return mode == O_RDONLY || mode == O_RDWR;
    }

    /** Whether the file may be written through this handle. */
    public boolean canWrite() {
        int mode = accessMode();
        return mode == O_WRONLY || mode == O_RDWR;
    }

    /** Whether all bits of {@code flag} are set. */
    public boolean has(int flag) {
        return (bits & flag) == flag;
    }

    /** Whether O_TRUNC is set. */
    public boolean isTruncate() {
        return has(O_TRUNC);
    }

    /** Whether O_APPEND is set. */
    public boolean isAppend() {
        return has(O_APPEND);
    }

    /** Whether O_DIRECT is set. */
    public boolean isDirect() {
        return has(O_DIRECT);
    }

    /** Whether O_SYNC (which includes O_DSYNC) is set. */
    public boolean isSync() {
        return has(O_SYNC);
    }

    /** Whether O_DSYNC is set (true also under O_SYNC). */
    public boolean isDataSync() {
        return has(O_DSYNC);
    }

    /** Whether O_NOFOLLOW is set. */
    public boolean isNoFollow() {
        return has(O_NOFOLLOW);
    }

    /** Whether O_EXCL is set. */
    public boolean isExclusive() {
        return has(O_EXCL);
    }

    /** These flags with the access mode replaced, e.g. O_WRONLY widened to O_RDWR. */
    public OpenFlags withAccessMode(int mode) {
        return new OpenFlags((bits & ~O_ACCMODE) | (mode & O_ACCMODE));
    }

    /** These flags without the bits of {@code flag}. */
    public OpenFlags without(int flag) {
        return new OpenFlags(bits & ~flag);
    }
}

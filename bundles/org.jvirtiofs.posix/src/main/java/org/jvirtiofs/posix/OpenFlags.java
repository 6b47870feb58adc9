package org.jvirtiofs.posix;

/** open(2) flags (O_*) and openat2(2) resolve flags (RESOLVE_*), Linux x86_64 values. */
public final class OpenFlags {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_ACCMODE = 3;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NOCTTY = 0400;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DSYNC = 010000;
    public static final int O_DIRECT = 040000;
    public static final int O_LARGEFILE = 0;
    public static final int O_DIRECTORY = 0200000;
    public static final int O_NOFOLLOW = 0400000;
    public static final int O_NOATIME = 01000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_SYNC = 04010000;
    public static final int O_PATH = 010000000;
    public static final int O_TMPFILE = 020200000;
    public static final long RESOLVE_NO_XDEV = 0x01L;
    public static final long RESOLVE_NO_MAGICLINKS = 0x02L;
    public static final long RESOLVE_NO_SYMLINKS = 0x04L;
    public static final long RESOLVE_BENEATH = 0x08L;
    public static final long RESOLVE_IN_ROOT = 0x10L;
    public static final long RESOLVE_CACHED = 0x20L;

    private OpenFlags() {
    }
}

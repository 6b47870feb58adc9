package org.jvirtiofs.posix;

/** Record lock types and commands (F_RDLCK..., F_OFD_*) and flock(2) operations (LOCK_*). */
public final class LockFlags {
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;
    public static final int F_GETLK = 5;
    public static final int F_SETLK = 6;
    public static final int F_SETLKW = 7;
    public static final int F_OFD_GETLK = 36;
    public static final int F_OFD_SETLK = 37;
    public static final int F_OFD_SETLKW = 38;
    public static final int LOCK_SH = 1;
    public static final int LOCK_EX = 2;
    public static final int LOCK_NB = 4;
    public static final int LOCK_UN = 8;

    private LockFlags() {
    }
}

package org.jvirtiofs.posix;

/** fcntl(2) commands on descriptor and status flags (F_GETFD..., FD_CLOEXEC). */
public final class FcntlFlags {
    public static final int F_DUPFD = 0;
    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int F_DUPFD_CLOEXEC = 1030;
    public static final int FD_CLOEXEC = 1;

    private FcntlFlags() {
    }
}

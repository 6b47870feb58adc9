package org.jvirtiofs.posix;

/** A resource limit (struct rlimit): soft and hard; {@link #INFINITY} means unlimited. */
public record Rlimit(long cur, long max) {
    /** RLIM_INFINITY. */
    public static final long INFINITY = -1L;
    /** RLIMIT_NOFILE: the number of open fds. */
    public static final int RLIMIT_NOFILE = 7;
}

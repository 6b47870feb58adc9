package org.jvirtiofs.api;

/**
 * A failed filesystem operation, carrying the Linux errno the guest will see.
 *
 * <p>Instances have no stack trace, no suppressed exceptions and no cause: failing is a hot path
 * (negative LOOKUPs dominate module resolution in {@code node_modules} trees), and the errno is
 * the whole story the kernel gets. That makes the instances {@link #of(int)} hands out immutable,
 * so they are shared and throwing one allocates nothing.
 */
public final class FsException extends Exception {
    private static final long serialVersionUID = 1L;

    // Covers every errno Linux defines (the highest is EHWPOISON, 133).
    private static final int SHARED_LIMIT = 134;
    private static final FsException[] SHARED = new FsException[SHARED_LIMIT];

    static {
        for (int errno = 1; errno < SHARED_LIMIT; errno++) {
            SHARED[errno] = new FsException(errno, Errno.name(errno));
        }
    }

    private final int errno;

    private FsException(int errno, String message) {
        // null cause set here also makes initCause() refuse, so shared instances stay immutable
        super(message, null, false, false);
        this.errno = errno;
    }

    /**
     * A shared, immutable exception for {@code errno}; use this on hot paths.
     *
     * @throws IllegalArgumentException if {@code errno} is not positive (a negated errno or 0 is a
     *     bug in the caller)
     */
    public static FsException of(int errno) {
        if (errno > 0 && errno < SHARED_LIMIT) {
            return SHARED[errno];
        }
        checkPositive(errno);
        return new FsException(errno, Errno.name(errno));
    }

    /**
     * A new exception for {@code errno} with a detail message, for cold paths where the reason
     * helps an operator (e.g. a factory refusing a share whose source directory is missing).
     */
    public static FsException of(int errno, String detail) {
        checkPositive(errno);
        return new FsException(errno, Errno.name(errno) + ": " + detail);
    }

    /** The positive Linux errno; the wire carries its negation in {@code fuse_out_header.error}. */
    public int errno() {
        return errno;
    }

    private static void checkPositive(int errno) {
        if (errno <= 0) {
            throw new IllegalArgumentException("errno must be positive, got " + errno);
        }
    }
}

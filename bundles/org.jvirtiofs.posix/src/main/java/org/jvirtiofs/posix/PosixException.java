package org.jvirtiofs.posix;

/** A failed system call: the errno it set and the call's name, without a stack trace. */
public final class PosixException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int errno;
    private final String call;
    private final String detail;

    /**
     * @param errno  the errno the call left
     * @param call   the C name of the call, e.g. {@code "openat2"}
     * @param detail what it was called on (a path, an fd, a name), or null
     */
    public PosixException(int errno, String call, String detail) {
        // No stack trace and no suppression: failed lookups are a hot path, and the
        // call name plus errno say all a caller needs.
        super(null, null, false, false);
        this.errno = errno;
        this.call = call;
        this.detail = detail;
    }

    /** The errno value, one of the {@link Errno} constants. */
    public int errno() {
        return errno;
    }

    /** The name of the failed call. */
    public String call() {
        return call;
    }

    /** What the call was made on, or null. */
    public String detail() {
        return detail;
    }

    /** Built on demand so that throwing stays cheap: {@code openat2(".."): EXDEV (Invalid cross-device link)}. */
    @Override
    public String getMessage() {
        StringBuilder message = new StringBuilder(64).append(call).append('(');
        if (detail != null) {
            message.append('"').append(detail).append('"');
        }
        return message.append("): ").append(Errno.name(errno))
                .append(" (").append(Errno.description(errno)).append(')').toString();
    }
}

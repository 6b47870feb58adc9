package org.jvirtiofs.api;

/**
 * The reply to OPEN, OPENDIR and the open half of CREATE: {@code struct fuse_open_out}.
 *
 * @param handle an opaque value the provider chooses; the kernel passes it back in every request
 *     on this open file until RELEASE/RELEASEDIR
 * @param flags FOPEN_* bits telling the kernel how to cache this open file
 */
public record OpenReply(long handle, int flags) {
    /** Bypass the guest page cache for this open file: all reads and writes reach the provider. */
    public static final int FOPEN_DIRECT_IO = 1 << 0;
    /** Keep the file's cached data from earlier opens instead of invalidating it on this open. */
    public static final int FOPEN_KEEP_CACHE = 1 << 1;
    /** The file is not seekable. */
    public static final int FOPEN_NONSEEKABLE = 1 << 2;
    /** For OPENDIR: the kernel may cache this directory's listing. */
    public static final int FOPEN_CACHE_DIR = 1 << 3;
    /** The file is a stream: no file position at all. */
    public static final int FOPEN_STREAM = 1 << 4;
    /**
     * Do not send FLUSH when the file is closed: for a provider whose FLUSH would do nothing on
     * this open file (a read-only one, say). Sessions clear it where FLUSH must come: with remote
     * POSIX locks (POSIX_LOCKS accepted), a closing process's locks end only by its FLUSH. The
     * kernel ignores it with WRITEBACK_CACHE, where FLUSH writes back cached data.
     */
    public static final int FOPEN_NOFLUSH = 1 << 5;

    /** A handle with no FOPEN_* flags. */
    public static OpenReply of(long handle) {
        return new OpenReply(handle, 0);
    }

    /** Whether all bits of {@code flag} are set. */
    public boolean has(int flag) {
        return (flags & flag) == flag;
    }
}

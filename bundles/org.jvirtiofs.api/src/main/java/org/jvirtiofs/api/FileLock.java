package org.jvirtiofs.api;

/**
 * A byte-range lock, as GETLK/SETLK carry it: {@code struct fuse_file_lock}.
 *
 * <p>The range is inclusive at both ends; {@code end == }{@link #OFFSET_MAX} means "to the end of
 * the file, however it grows". flock(2) locks arrive as the whole range 0..OFFSET_MAX.
 *
 * @param start first byte
 * @param end last byte, inclusive, or {@link #OFFSET_MAX}
 * @param type {@link #F_RDLCK}, {@link #F_WRLCK} or {@link #F_UNLCK}
 * @param pid in SETLK, the guest process taking the lock; in a GETLK reply, the guest process
 *     holding the conflicting lock if known, else 0
 */
public record FileLock(long start, long end, int type, int pid) {
    public static final int F_RDLCK = 0;
    public static final int F_WRLCK = 1;
    public static final int F_UNLCK = 2;
    /** The kernel's "to end of file" (LLONG_MAX). */
    public static final long OFFSET_MAX = Long.MAX_VALUE;

    /** The GETLK reply meaning "nothing would conflict". */
    public static FileLock unlocked() {
        return new FileLock(0, 0, F_UNLCK, 0);
    }

    /** Whether the range reaches to the end of the file. */
    public boolean toEndOfFile() {
        return end == OFFSET_MAX;
    }
}

package org.jvirtiofs.posix;

/**
 * A POSIX record lock (struct flock): {@link LockFlags} F_RDLCK/F_WRLCK/F_UNLCK, a {@link Whence}
 * origin, start and length (0 = to end of file); {@code pid} is -1 for OFD locks reported by F_OFD_GETLK.
 */
public record Flock(int type, int whence, long start, long len, int pid) {

    /** A lock request for OFD commands, which require pid 0. */
    public static Flock of(int type, long start, long len) {
        return new Flock(type, Whence.SEEK_SET, start, len, 0);
    }
}

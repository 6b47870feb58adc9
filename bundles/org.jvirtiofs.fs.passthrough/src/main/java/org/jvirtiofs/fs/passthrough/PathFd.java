package org.jvirtiofs.fs.passthrough;

/**
 * An O_PATH fd on an inode for the length of one operation: the inode's own fd (borrowed, not
 * closed) or one just opened from its file handle (closed at the end).
 */
final class PathFd implements AutoCloseable {
    final int fd;
    private final boolean owned;

    PathFd(int fd, boolean owned) {
        this.fd = fd;
        this.owned = owned;
    }

    @Override
    public void close() {
        if (owned) {
            Descriptors.closeQuietly(fd);
        }
    }
}

package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.posix.Io;

/** Closing fds where a failure can only be logged: release paths and error paths. */
final class Descriptors {
    private Descriptors() {
    }

    /** Closes {@code fd} if it is one (>= 0), logging a failure. */
    static void closeQuietly(int fd) {
        Io.closeQuietly(fd);
    }
}

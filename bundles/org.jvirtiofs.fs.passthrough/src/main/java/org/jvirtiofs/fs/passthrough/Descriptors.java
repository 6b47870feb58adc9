package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Closing fds where a failure can only be logged: release paths and error paths. */
final class Descriptors {
    private static final Logger LOG = LoggerFactory.getLogger(Descriptors.class);

    private Descriptors() {
    }

    /** Closes {@code fd} if it is one (>= 0), logging a failure. */
    static void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            Io.close(fd);
        } catch (PosixException e) {
            LOG.debug("close({}): {}", fd, e.getMessage());
        }
    }
}

package org.jvirtiofs.fs.overlay;

import org.jvirtiofs.posix.Stat;

/**
 * What one name resolves to across the layers: the upper object (or an upper whiteout), the
 * topmost visible lower object, and for a directory the lower directories merged into it. Owns
 * its fds until a node adopts them; {@link #close()} closes what is left.
 */
final class Found implements AutoCloseable {
    int upperFd = -1;
    Stat upper;
    /** The upper holds a whiteout for the name: nothing is visible, whatever the lowers hold. */
    boolean upperWhiteout;
    int lowerFd = -1;
    Stat lower;
    int lowerLayer;
    int[] dirFds = Node.NONE;
    int[] dirLayers = Node.NONE;

    /** Whether the guest sees anything under the name. */
    boolean visible() {
        return upper != null || (!upperWhiteout && lower != null);
    }

    /** The status of what the guest sees. */
    Stat stat() {
        return upper != null ? upper : lower;
    }

    /** Whether a lower layer has (or had, under an upper whiteout) an object with the name. */
    boolean lowerBelow() {
        return upperWhiteout || lower != null;
    }

    @Override
    public void close() {
        Host.close(upperFd);
        Host.close(lowerFd);
        for (int fd : dirFds) {
            if (fd != lowerFd) {
                Host.close(fd);
            }
        }
        upperFd = -1;
        lowerFd = -1;
        dirFds = Node.NONE;
    }
}

package org.jvirtiofs.fs.passthrough;

import java.util.ArrayDeque;
import org.jvirtiofs.posix.DirEntry64;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Whence;

/**
 * A directory being listed through one handle: the host directory fd, kept open so the kernel's
 * d_off values stay valid as cookies, and entries read but not yet sent. Callers hold this
 * object's monitor across {@link #seek}, {@link #peek} and {@link #advance}.
 */
final class DirectoryStream implements AutoCloseable {
    private final int fd;
    private final ArrayDeque<DirEntry64> pending = new ArrayDeque<>();
    /** The cookie of the next entry {@link #peek} returns: 0 at the start. */
    private long position;
    /** Whether this fd has been read at all (see {@link #seek}). */
    private boolean read;

    DirectoryStream(int fd) {
        this.fd = fd;
    }

    /** A stream on a handed-over fd whose offset is unknown: the next read seeks to its cookie. */
    static DirectoryStream resumed(int fd) {
        DirectoryStream d = new DirectoryStream(fd);
        d.position = -1;
        return d;
    }

    int fd() {
        return fd;
    }

    /**
     * Continues at {@code cookie} (0 or an entry's d_off): seeks only if not already there, but
     * always at 0, where a listing starts: entries read before (by a listing that sent none of
     * them) may be stale by then.
     */
    void seek(long cookie) throws PosixException {
        if (cookie != position || cookie == 0) {
            if (!read && cookie != 0) {
                // ext4 (Linux 6.1): if a directory fd's first read is at its end cookie, its
                // hash-order state is never reset, and after a later seek to 0 it lists nothing.
                // Reading from the start first leaves the fd as any reader's would be.
                Fs.getdents64(fd);
                read = true;
            }
            Io.lseek(fd, cookie, Whence.SEEK_SET);
            pending.clear();
            position = cookie;
        }
    }

    /** The next entry, or null at the end of the directory. */
    DirEntry64 peek() throws PosixException {
        if (pending.isEmpty()) {
            pending.addAll(Fs.getdents64(fd));
            read = true;
        }
        return pending.peekFirst();
    }

    /** Moves past the entry {@link #peek} returned. */
    void advance() {
        DirEntry64 sent = pending.pollFirst();
        if (sent != null) {
            position = sent.off();
        }
    }

    @Override
    public void close() {
        Descriptors.closeQuietly(fd);
    }
}

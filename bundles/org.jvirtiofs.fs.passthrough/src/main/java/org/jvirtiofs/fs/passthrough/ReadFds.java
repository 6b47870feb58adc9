package org.jvirtiofs.fs.passthrough;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/**
 * Read-only descriptors of files read and directories listed without a handle (zero-message
 * opens, see FileOps and DirOps), kept for the inodes used last: a file read piece by piece keeps
 * one open file description, and with it the host's readahead state, as an OPEN's handle did (a
 * fresh one per READ made the host read ahead for every random 4 KiB read), and a directory
 * listed in several READDIRPLUS keeps its stream where the last one stopped. Only read-only ones
 * are kept, which never stop the host from executing or writing the file (ETXTBSY); one is closed
 * when its inode is forgotten, or pushed out by newer ones once the last user gave it back.
 */
final class ReadFds {
    static final int CAPACITY = 32;

    /** A kept descriptor (a directory's with its stream) and how many requests use it now. */
    static final class Kept {
        final int fd;
        /** The directory's stream, or null for a file; callers hold its monitor while listing. */
        final DirectoryStream stream;
        private int users; // guarded by the ReadFds
        private boolean dropped;

        private Kept(int fd, boolean directory) {
            this.fd = fd;
            this.stream = directory ? new DirectoryStream(fd) : null;
        }
    }

    private final InodeTable inodes;
    private final Map<Inode, Kept> kept = new LinkedHashMap<>(CAPACITY * 2, 0.75f, true);

    ReadFds(InodeTable inodes) {
        this.inodes = inodes;
    }

    /** A read-only descriptor of the regular file or directory {@code inode}, to {@link #release} after use. */
    Kept acquire(Inode inode) throws PosixException {
        synchronized (this) {
            Kept k = kept.get(inode);
            if (k != null) {
                k.users++;
                return k;
            }
        }
        boolean directory = inode.isDirectory();
        Kept mine = new Kept(inodes.reopen(inode, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC
                | (directory ? OpenFlags.O_DIRECTORY : 0)), directory);
        List<Kept> out = new ArrayList<>(1);
        Kept use;
        synchronized (this) {
            Kept raced = kept.get(inode);
            if (raced != null) {
                mine.dropped = true;
                out.add(mine);
                use = raced;
            } else {
                kept.put(inode, mine);
                use = mine;
                Iterator<Kept> eldest = kept.values().iterator();
                while (kept.size() > CAPACITY) {
                    Kept e = eldest.next();
                    eldest.remove();
                    e.dropped = true;
                    if (e.users == 0) {
                        out.add(e);
                    }
                }
            }
            use.users++;
        }
        out.forEach(k -> Descriptors.closeQuietly(k.fd));
        return use;
    }

    /** Gives back what {@link #acquire} lent. */
    void release(Kept k) {
        boolean close;
        synchronized (this) {
            k.users--;
            close = k.dropped && k.users == 0;
        }
        if (close) {
            Descriptors.closeQuietly(k.fd);
        }
    }

    /** Closes the descriptor kept for {@code inode}, if any, once its users gave it back. */
    void drop(Inode inode) {
        Kept k;
        synchronized (this) {
            k = kept.remove(inode);
            if (k == null) {
                return;
            }
            k.dropped = true;
            if (k.users > 0) {
                return;
            }
        }
        Descriptors.closeQuietly(k.fd);
    }

    /** Closes every descriptor no request uses; the others close when given back. */
    void clear() {
        List<Kept> out = new ArrayList<>();
        synchronized (this) {
            for (Kept k : kept.values()) {
                k.dropped = true;
                if (k.users == 0) {
                    out.add(k);
                }
            }
            kept.clear();
        }
        out.forEach(k -> Descriptors.closeQuietly(k.fd));
    }

    /** How many descriptors are kept (for tests). */
    synchronized int size() {
        return kept.size();
    }
}

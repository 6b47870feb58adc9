package org.jvirtiofs.fs.passthrough;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jvirtiofs.posix.DataStamp;
import org.jvirtiofs.posix.FileHandle;

/**
 * One host file the guest knows by a node id: its key, its type, and either an O_PATH fd held
 * open for as long as the guest references it, or a file handle to reopen it by. The lookup
 * count is guarded by the {@link InodeTable}.
 */
final class Inode {
    private static final AtomicIntegerFieldUpdater<Inode> OPENS =
            AtomicIntegerFieldUpdater.newUpdater(Inode.class, "opens");
    final long nodeId;
    final long generation;
    final InodeKey key;
    /** The S_IF* type bits: a file never changes type. */
    final int type;
    /** The O_PATH fd, or -1 when {@link #handle} is used instead. */
    final int fd;
    /** The file handle, or null when {@link #fd} is held. */
    final FileHandle handle;
    /** Guarded by the table's lock. */
    long lookups;
    /** The file as the last OPEN that made the guest drop its cached pages saw it, or null. */
    volatile DataStamp dataStamp;
    /** Handles the guest holds on this file ({@link HandleTable}). */
    private volatile int opens;

    Inode(long nodeId, long generation, InodeKey key, int type, int fd, FileHandle handle) {
        this.nodeId = nodeId;
        this.generation = generation;
        this.key = key;
        this.type = type;
        this.fd = fd;
        this.handle = handle;
    }

    /** Counts a handle opened on this file. */
    void opened() {
        OPENS.incrementAndGet(this);
    }

    /** Counts a handle released. */
    void released() {
        OPENS.decrementAndGet(this);
    }

    /** How many handles the guest holds on this file. */
    int opens() {
        return opens;
    }

    boolean isDirectory() {
        return type == org.jvirtiofs.posix.FileMode.S_IFDIR;
    }

    boolean isRegularFile() {
        return type == org.jvirtiofs.posix.FileMode.S_IFREG;
    }

    boolean isSymlink() {
        return type == org.jvirtiofs.posix.FileMode.S_IFLNK;
    }

    @Override
    public String toString() {
        return "Inode[" + nodeId + ", " + key + ", lookups " + lookups + "]";
    }
}

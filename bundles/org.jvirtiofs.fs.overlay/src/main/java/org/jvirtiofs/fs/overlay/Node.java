package org.jvirtiofs.fs.overlay;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.jvirtiofs.posix.DataStamp;
import org.jvirtiofs.posix.FileMode;

/**
 * One object of the merged tree the guest holds: where it lives (an upper O_PATH fd, the topmost
 * lower one, and for a directory every lower directory merged into it), the inode number the
 * guest sees (kept across copy-up), and the name it was last reached by, which copy-up follows.
 * Fields change only under the tree's write lock; readers see them through volatiles.
 */
final class Node {
    static final int[] NONE = {};
    private static final AtomicIntegerFieldUpdater<Node> OPENS = AtomicIntegerFieldUpdater.newUpdater(Node.class, "opens");

    final long id;
    /** The S_IFMT bits: an object never changes type (a new one gets a new node). */
    final int type;
    final long ino;
    volatile Key key;
    /** The upper object, or -1 while it lives only in a lower layer. */
    volatile int upperFd = -1;
    /** The topmost lower object (a non-directory), or -1. */
    volatile int lowerFd = -1;
    /** A directory's merged lower directories, topmost first, and their layer numbers (1..n). */
    volatile int[] dirFds = NONE;
    volatile int[] dirLayers = NONE;
    /** The directory and name it was last reached by; null parent for the root or an orphan. */
    volatile Node parent;
    volatile byte[] name;
    /** The lower inode's link count when it was found: more than one may need the link index. */
    volatile int lowerNlink;
    /** The file as the last OPEN that made the guest drop its cached pages saw it, or null. */
    volatile DataStamp dataStamp;
    /** Open file handles the guest holds on it. */
    private volatile int opens;
    // guarded by the node table
    long lookups;
    int pins;

    Node(long id, int type, long ino) {
        this.id = id;
        this.type = type;
        this.ino = ino;
    }

    /** Counts a handle opened on it. */
    void opened() {
        OPENS.incrementAndGet(this);
    }

    /** Counts a handle released. */
    void released() {
        OPENS.decrementAndGet(this);
    }

    /** How many handles the guest holds on it. */
    int opens() {
        return opens;
    }

    boolean isDirectory() {
        return type == FileMode.S_IFDIR;
    }

    boolean isRegularFile() {
        return type == FileMode.S_IFREG;
    }

    boolean isSymlink() {
        return type == FileMode.S_IFLNK;
    }

    /** Where its current data and attributes are: the upper object if copied up. */
    int fd() {
        int u = upperFd;
        if (u >= 0) {
            return u;
        }
        return isDirectory() ? dirFds[0] : lowerFd;
    }

    /** The lower object copy-up reads from. */
    int lowerObject() {
        return isDirectory() ? (dirFds.length > 0 ? dirFds[0] : -1) : lowerFd;
    }

    /** A directory made of more than one layer: overlayfs reports such a directory's nlink as 1. */
    boolean isMerged() {
        return isDirectory() && (upperFd >= 0 ? dirFds.length > 0 : dirFds.length > 1);
    }

    void closeFds() {
        Host.close(upperFd);
        if (!isDirectory()) {
            Host.close(lowerFd);
        }
        for (int fd : dirFds) {
            Host.close(fd);
        }
        upperFd = -1;
        lowerFd = -1;
        dirFds = NONE;
    }

    /**
     * The identity of a layer object: layer 0 is the upper, 1..n the lowers.
     *
     * @param layer the layer number
     * @param dev the host device
     * @param ino the host inode number
     */
    record Key(int layer, long dev, long ino) {
    }
}

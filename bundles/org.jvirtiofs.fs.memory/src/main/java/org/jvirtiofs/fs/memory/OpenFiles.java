package org.jvirtiofs.fs.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenFlags;

/**
 * The open handles (OPEN, CREATE, TMPFILE, OPENDIR) and what each was opened on and with.
 *
 * <p>Handles are counter values, never reused. Each keeps its node alive (and countable in
 * {@link Node#isUnreferenced()}) until RELEASE or RELEASEDIR, like an open file descriptor keeps
 * an unlinked file.
 */
final class OpenFiles {
    /** One open handle: the node and the open(2) flags. */
    record OpenFile(Node node, OpenFlags flags) {
    }

    private final Map<Long, OpenFile> open = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(1);

    /** Opens a handle on {@code node}. */
    long open(Node node, OpenFlags flags) {
        node.addOpen();
        long handle = nextHandle.getAndIncrement();
        open.put(handle, new OpenFile(node, flags));
        return handle;
    }

    /** The open file {@code handle} names; EBADF unless it is open on node {@code nodeId}. */
    OpenFile get(long handle, long nodeId) throws FsException {
        OpenFile file = open.get(handle);
        if (file == null || file.node().id() != nodeId) {
            throw FsException.of(Errno.EBADF);
        }
        return file;
    }

    /**
     * The regular file a handle is open on; EBADF unless the handle's access mode passes
     * {@code allowed} (a read through a write-only handle, say).
     */
    RegularFile file(long handle, long nodeId, Predicate<OpenFlags> allowed) throws FsException {
        OpenFile file = get(handle, nodeId);
        if (!allowed.test(file.flags())) {
            throw FsException.of(Errno.EBADF);
        }
        return RegularFile.of(file.node());
    }

    /** The directory a handle is open on; ENOTDIR if it is open on something else. */
    Directory directory(long handle, long nodeId) throws FsException {
        if (get(handle, nodeId).node() instanceof Directory dir) {
            return dir;
        }
        throw FsException.of(Errno.ENOTDIR);
    }

    /** Closes {@code handle}; returns the node it was open on, or null if it was not open. */
    Node close(long handle) {
        OpenFile file = open.remove(handle);
        return file == null ? null : file.node();
    }

    /** Forgets every handle (DESTROY: no RELEASE will come). */
    void clear() {
        open.clear();
    }
}

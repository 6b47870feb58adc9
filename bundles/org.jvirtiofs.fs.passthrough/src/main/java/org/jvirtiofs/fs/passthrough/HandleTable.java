package org.jvirtiofs.fs.passthrough;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * Open files and directory streams by the handle the guest was given; handles are never reused.
 * Each open file is counted on its inode ({@link Inode#opens}) while its handle lives.
 */
final class HandleTable implements AutoCloseable {
    private final Map<Long, OpenFile> files = new ConcurrentHashMap<>();
    private final Map<Long, DirectoryStream> dirs = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long add(OpenFile file) {
        long h = next.getAndIncrement();
        file.inode().opened();
        files.put(h, file);
        return h;
    }

    long add(DirectoryStream dir) {
        long h = next.getAndIncrement();
        dirs.put(h, dir);
        return h;
    }

    /** The open file {@code handle} names; EBADF if none. */
    OpenFile file(long handle) throws FsException {
        OpenFile f = files.get(handle);
        if (f == null) {
            throw FsException.of(Errno.EBADF);
        }
        return f;
    }

    /** The open file {@code handle} names, or null. */
    OpenFile fileOrNull(long handle) {
        return files.get(handle);
    }

    /** The directory stream {@code handle} names; EBADF if none. */
    DirectoryStream dir(long handle) throws FsException {
        DirectoryStream d = dirs.get(handle);
        if (d == null) {
            throw FsException.of(Errno.EBADF);
        }
        return d;
    }

    /** Forgets and closes the open file. */
    void releaseFile(long handle) {
        OpenFile f = files.remove(handle);
        if (f != null) {
            f.inode().released();
            Descriptors.closeQuietly(f.fd());
        }
    }

    /** Forgets and closes the directory stream. */
    void releaseDir(long handle) {
        DirectoryStream d = dirs.remove(handle);
        if (d != null) {
            synchronized (d) {
                d.close();
            }
        }
    }

    /** The open files by handle, for a handover. */
    Map<Long, OpenFile> files() {
        return Map.copyOf(files);
    }

    /** The directory streams by handle, for a handover. */
    Map<Long, DirectoryStream> dirs() {
        return Map.copyOf(dirs);
    }

    /** Puts a handed-over open file under the handle the guest already holds. */
    void restore(long handle, OpenFile file) {
        file.inode().opened();
        files.put(handle, file);
        reserve(handle);
    }

    /** Puts a handed-over directory stream under the handle the guest already holds. */
    void restore(long handle, DirectoryStream dir) {
        dirs.put(handle, dir);
        reserve(handle);
    }

    /** New handles start above {@code maxInUse}. */
    void reserve(long maxInUse) {
        next.accumulateAndGet(maxInUse + 1, Math::max);
    }

    /** How many handles are open. */
    int size() {
        return files.size() + dirs.size();
    }

    @Override
    public void close() {
        files.keySet().forEach(this::releaseFile);
        dirs.keySet().forEach(this::releaseDir);
    }
}

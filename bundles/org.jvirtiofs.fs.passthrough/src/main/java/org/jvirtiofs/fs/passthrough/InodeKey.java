package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.posix.FileHandle;
import org.jvirtiofs.posix.Stat;

/**
 * What makes a host file the same file: device, inode number and mount id (a file reached
 * through two bind mounts is the same file but needs its own mount fd for handles), plus its
 * file handle where handles are used. An O_PATH fd pins its inode so the number cannot be reused
 * while we hold it; a handle pins nothing, and its generation tells a reused number apart.
 */
record InodeKey(long dev, long ino, long mountId, FileHandle handle) {
    /** The key of the file {@code st} describes, with its handle or null. */
    static InodeKey of(Stat st, FileHandle handle) {
        return new InodeKey(st.dev(), st.ino(), st.mountId(), handle);
    }
}

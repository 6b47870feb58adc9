package org.jvirtiofs.api;

import java.util.Objects;

/**
 * One directory entry as readdir reports it: {@code struct fuse_dirent}.
 *
 * @param ino the inode number the guest sees as d_ino
 * @param nextOffset the cookie of the entry AFTER this one: the offset the kernel passes back to
 *     continue the listing just past this entry. Opaque to the kernel, but it must stay valid and
 *     mean the same position for as long as the directory handle is open, even if entries are
 *     added or removed meanwhile, and it must not be 0 (0 means "from the start")
 * @param type the DT_* value from {@link FileMode}, or {@link FileMode#DT_UNKNOWN}
 * @param name the entry's name
 */
public record DirEntry(long ino, long nextOffset, int type, FileName name) {

    /** Checks that the name is present. */
    public DirEntry {
        Objects.requireNonNull(name, "name");
    }
}

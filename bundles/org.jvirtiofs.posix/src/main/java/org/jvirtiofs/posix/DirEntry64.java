package org.jvirtiofs.posix;

/**
 * One linux_dirent64 from getdents64(2): inode, the offset to resume after it, its
 * {@link FileMode} DT_* type and its name (decoded as UTF-8).
 */
public record DirEntry64(long ino, long off, int type, String name) {
}

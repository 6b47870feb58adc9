package org.jvirtiofs.posix;

import java.nio.charset.StandardCharsets;

/**
 * One linux_dirent64 from getdents64(2): inode, the offset to resume after it, its
 * {@link FileMode} DT_* type and its name as the exact bytes the directory holds (which need
 * not be UTF-8). Do not modify {@code rawName}; equality of the array is by identity.
 */
public record DirEntry64(long ino, long off, int type, byte[] rawName) {
    /** The name decoded as UTF-8, for display: bytes that are not UTF-8 become U+FFFD. */
    public String name() {
        return new String(rawName, StandardCharsets.UTF_8);
    }
}

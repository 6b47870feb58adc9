package org.jvirtiofs.posix;

import java.util.Arrays;

/**
 * A file handle from name_to_handle_at(2): its type, its opaque bytes and the id of the mount
 * it lives on. Equal when all three are, so it can key a map of inodes.
 */
public record FileHandle(int handleType, byte[] bytes, long mountId) {

    /** Copies the bytes, so the handle stays immutable. */
    public FileHandle {
        bytes = bytes.clone();
    }

    /** A copy of the opaque handle bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The number of opaque bytes. */
    public int length() {
        return bytes.length;
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileHandle that && handleType == that.handleType
                && mountId == that.mountId && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return (Arrays.hashCode(bytes) * 31 + handleType) * 31 + Long.hashCode(mountId);
    }

    @Override
    public String toString() {
        return "FileHandle[type=" + handleType + ", mountId=" + mountId + ", bytes=" + Arrays.toString(bytes) + "]";
    }
}

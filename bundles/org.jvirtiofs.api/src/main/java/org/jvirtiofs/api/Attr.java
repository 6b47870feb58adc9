package org.jvirtiofs.api;

/**
 * A node's attributes, field for field {@code struct fuse_attr}.
 *
 * <p>Unsigned 32-bit wire fields (mode, nlink, uid, gid, rdev, blksize) are held in ints with the
 * same bits. Times are seconds since the epoch plus nanoseconds (0..999,999,999). {@code ino} is
 * what the guest's stat(2) shows as st_ino; it need not equal the node id. {@code blocks} counts
 * 512-byte units, whatever {@code blksize} is.
 *
 * @param ino inode number shown to the guest
 * @param size size in bytes
 * @param blocks allocated 512-byte blocks
 * @param atimeSec last access, seconds
 * @param atimeNsec last access, nanoseconds
 * @param mtimeSec last modification, seconds
 * @param mtimeNsec last modification, nanoseconds
 * @param ctimeSec last status change, seconds
 * @param ctimeNsec last status change, nanoseconds
 * @param mode file type and permissions, see {@link FileMode}
 * @param nlink hard link count
 * @param uid owner
 * @param gid group
 * @param rdev device number for block and character devices (Linux encoding)
 * @param blksize preferred I/O size; 0 lets the kernel use its default
 * @param flags FUSE_ATTR_* bits
 */
public record Attr(
        long ino,
        long size,
        long blocks,
        long atimeSec,
        int atimeNsec,
        long mtimeSec,
        int mtimeNsec,
        long ctimeSec,
        int ctimeNsec,
        int mode,
        int nlink,
        int uid,
        int gid,
        int rdev,
        int blksize,
        int flags) {

    /**
     * This directory is the root of another host filesystem: the guest mounts it as a submount
     * with its own st_dev. Only honoured when {@link FsCapability#SUBMOUNTS} was negotiated.
     */
    public static final int FUSE_ATTR_SUBMOUNT = 1 << 0;
    /** Enable DAX for this file (per-file DAX mode); unused without a DAX window. */
    public static final int FUSE_ATTR_DAX = 1 << 1;

    /** All zero; what negative entries carry. */
    static final Attr ZERO = new Attr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The S_IF* type bits of {@link #mode()}. */
    public int fileType() {
        return FileMode.type(mode);
    }

    /** Whether this is a directory. */
    public boolean isDirectory() {
        return FileMode.isDirectory(mode);
    }

    /** Whether this is a regular file. */
    public boolean isRegularFile() {
        return FileMode.isRegularFile(mode);
    }

    /** Whether this is a symbolic link. */
    public boolean isSymlink() {
        return FileMode.isSymlink(mode);
    }

    /** The same attributes with other FUSE_ATTR_* flags, e.g. to mark a submount. */
    public Attr withFlags(int newFlags) {
        return new Attr(ino, size, blocks, atimeSec, atimeNsec, mtimeSec, mtimeNsec, ctimeSec,
                ctimeNsec, mode, nlink, uid, gid, rdev, blksize, newFlags);
    }
}

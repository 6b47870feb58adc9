package org.jvirtiofs.fuse;

/**
 * Protocol constants of {@code include/uapi/linux/fuse.h} (7.37, Linux 6.1) that transports and
 * configuration need, under their C names so they can be grepped against the header.
 */
public final class FuseConstants {
    /** The protocol major version we speak. */
    public static final int FUSE_KERNEL_VERSION = 7;
    /** The highest protocol minor version we speak: 7.37 is what Linux 6.1 sends. */
    public static final int FUSE_KERNEL_MINOR_VERSION = 37;
    /**
     * The oldest minor version we serve. Every struct we decode has had its present size since
     * 7.23 (which also gave fuse_init_out its 64 bytes), so older kernels get EPROTO.
     */
    public static final int FUSE_MIN_KERNEL_MINOR_VERSION = 23;
    /** The root node id. */
    public static final long FUSE_ROOT_ID = 1;

    /** sizeof(struct fuse_in_header). */
    public static final int FUSE_IN_HEADER_SIZE = 40;
    /** sizeof(struct fuse_out_header). */
    public static final int FUSE_OUT_HEADER_SIZE = 16;
    /** The smallest buffer a /dev/fuse read may use, whatever max_write says. */
    public static final int FUSE_MIN_READ_BUFFER = 8192;
    /** The page size the kernel counts max_pages in (x86_64). */
    public static final int PAGE_SIZE = 4096;

    // INIT flags (fuse_init_in/out.flags; bits 32..63 travel in flags2 with FUSE_INIT_EXT).
    public static final long FUSE_ASYNC_READ = 1L << 0;
    public static final long FUSE_POSIX_LOCKS = 1L << 1;
    public static final long FUSE_FILE_OPS = 1L << 2;
    public static final long FUSE_ATOMIC_O_TRUNC = 1L << 3;
    public static final long FUSE_EXPORT_SUPPORT = 1L << 4;
    public static final long FUSE_BIG_WRITES = 1L << 5;
    public static final long FUSE_DONT_MASK = 1L << 6;
    public static final long FUSE_SPLICE_WRITE = 1L << 7;
    public static final long FUSE_SPLICE_MOVE = 1L << 8;
    public static final long FUSE_SPLICE_READ = 1L << 9;
    public static final long FUSE_FLOCK_LOCKS = 1L << 10;
    public static final long FUSE_HAS_IOCTL_DIR = 1L << 11;
    public static final long FUSE_AUTO_INVAL_DATA = 1L << 12;
    public static final long FUSE_DO_READDIRPLUS = 1L << 13;
    public static final long FUSE_READDIRPLUS_AUTO = 1L << 14;
    public static final long FUSE_ASYNC_DIO = 1L << 15;
    public static final long FUSE_WRITEBACK_CACHE = 1L << 16;
    public static final long FUSE_NO_OPEN_SUPPORT = 1L << 17;
    public static final long FUSE_PARALLEL_DIROPS = 1L << 18;
    public static final long FUSE_HANDLE_KILLPRIV = 1L << 19;
    public static final long FUSE_POSIX_ACL = 1L << 20;
    public static final long FUSE_ABORT_ERROR = 1L << 21;
    public static final long FUSE_MAX_PAGES = 1L << 22;
    public static final long FUSE_CACHE_SYMLINKS = 1L << 23;
    public static final long FUSE_NO_OPENDIR_SUPPORT = 1L << 24;
    public static final long FUSE_EXPLICIT_INVAL_DATA = 1L << 25;
    public static final long FUSE_MAP_ALIGNMENT = 1L << 26;
    public static final long FUSE_SUBMOUNTS = 1L << 27;
    public static final long FUSE_HANDLE_KILLPRIV_V2 = 1L << 28;
    public static final long FUSE_SETXATTR_EXT = 1L << 29;
    public static final long FUSE_INIT_EXT = 1L << 30;
    public static final long FUSE_INIT_RESERVED = 1L << 31;
    public static final long FUSE_SECURITY_CTX = 1L << 32;
    public static final long FUSE_HAS_INODE_DAX = 1L << 33;
    /** Linux 6.6 and later: files opened with FOPEN_DIRECT_IO may be mapped shared. */
    public static final long FUSE_DIRECT_IO_ALLOW_MMAP = 1L << 36;

    /** fuse_getattr_in.getattr_flags: fh is valid. */
    public static final int FUSE_GETATTR_FH = 1 << 0;
    /** fuse_release_in.release_flags: flush before releasing. */
    public static final int FUSE_RELEASE_FLUSH = 1 << 0;
    /** fuse_release_in.release_flags: drop the owner's flock locks. */
    public static final int FUSE_RELEASE_FLOCK_UNLOCK = 1 << 1;
    /** fuse_lk_in.lk_flags: a flock(2) lock, not POSIX. */
    public static final int FUSE_LK_FLOCK = 1 << 0;
    /** fuse_read_in.read_flags: lock_owner is valid. */
    public static final int FUSE_READ_LOCKOWNER = 1 << 1;
    /** fuse_fsync_in.fsync_flags: fdatasync. */
    public static final int FUSE_FSYNC_FDATASYNC = 1 << 0;
    /** fuse_open_in/fuse_create_in.open_flags: clear set-id bits (HANDLE_KILLPRIV_V2). */
    public static final int FUSE_OPEN_KILL_SUIDGID = 1 << 0;

    private FuseConstants() {
    }
}

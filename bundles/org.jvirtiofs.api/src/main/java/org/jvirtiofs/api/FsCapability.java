package org.jvirtiofs.api;

/**
 * An INIT feature whose semantics the provider must implement, so the provider decides whether
 * the session accepts it. Names are the fuse.h FUSE_* init flags without the prefix.
 *
 * <p>Features that only concern the wire or the transport (ASYNC_READ, BIG_WRITES, MAX_PAGES,
 * ASYNC_DIO, ...) are the session's business and are not listed.
 */
public enum FsCapability {
    /** Remote POSIX byte-range locks: GETLK/SETLK/SETLKW reach the provider. */
    POSIX_LOCKS(1L << 1),
    /** OPEN may carry O_TRUNC and the provider truncates; otherwise the kernel sends SETATTR. */
    ATOMIC_O_TRUNC(1L << 3),
    /** The provider handles LOOKUP of "." and "..", as needed to NFS-export the guest mount. */
    EXPORT_SUPPORT(1L << 4),
    /** The kernel leaves umask out of create modes and the provider applies it (for POSIX ACLs). */
    DONT_MASK(1L << 6),
    /** Remote flock(2) locks: SETLK/SETLKW with the flock flag reach the provider. */
    FLOCK_LOCKS(1L << 10),
    /** The provider serves READDIRPLUS. */
    DO_READDIRPLUS(1L << 13),
    /** With DO_READDIRPLUS, the kernel chooses adaptively between READDIR and READDIRPLUS. */
    READDIRPLUS_AUTO(1L << 14),
    /**
     * The guest caches writes and flushes them later: WRITE may arrive with a handle opened
     * write-only that must also READ, from pid 0, and O_APPEND is handled by the kernel.
     */
    WRITEBACK_CACHE(1L << 16),
    /**
     * Offered by the kernel: it supports zero-message opens. A provider that asks for it and
     * answers OPEN with ENOSYS is sent no OPEN and no file RELEASE again on this connection; files
     * are then opened as if with FOPEN_KEEP_CACHE, and READ, WRITE, FSYNC, FALLOCATE, LSEEK,
     * COPY_FILE_RANGE and SETATTR name handle 0, which the provider must serve without a handle.
     * Handles a CREATE returns are never released either.
     */
    NO_OPEN_SUPPORT(1L << 17),
    /** Lookups and readdirs in one directory may run concurrently. */
    PARALLEL_DIROPS(1L << 18),
    /** The provider clears set-id bits on write, chown and truncate (the older protocol). */
    HANDLE_KILLPRIV(1L << 19),
    /** The provider supports POSIX ACLs in system.posix_acl_* xattrs; implies DONT_MASK. */
    POSIX_ACL(1L << 20),
    /** The kernel may cache READLINK results in its page cache. */
    CACHE_SYMLINKS(1L << 23),
    /**
     * Offered by the kernel: zero-message opendirs, as {@link #NO_OPEN_SUPPORT} for directories. A
     * provider that asks for it and answers OPENDIR with ENOSYS is sent no OPENDIR and no
     * RELEASEDIR again; directories are opened as if with FOPEN_KEEP_CACHE and FOPEN_CACHE_DIR,
     * and READDIR, READDIRPLUS and FSYNCDIR name handle 0.
     */
    NO_OPENDIR_SUPPORT(1L << 24),
    /** Directories flagged {@link Attr#FUSE_ATTR_SUBMOUNT} become submounts in the guest. */
    SUBMOUNTS(1L << 27),
    /** The kernel says when set-id bits must go (FATTR_KILL_SUIDGID, FUSE_WRITE_KILL_SUIDGID). */
    HANDLE_KILLPRIV_V2(1L << 28),
    /** SETXATTR carries extra flags (FUSE_SETXATTR_ACL_KILL_SGID). */
    SETXATTR_EXT(1L << 29),
    /**
     * Offered by Linux 6.6 and later: a file opened with FOPEN_DIRECT_IO may still be mapped
     * shared, through the kernel's page cache; without it such an mmap fails with ENODEV. The
     * mapping and the file's direct reads and writes agree only as far as the kernel keeps them
     * (it drops the file's cached pages at each mmap), hence an opt-in.
     */
    DIRECT_IO_ALLOW_MMAP(1L << 36);

    private final long fuseFlag;

    FsCapability(long fuseFlag) {
        this.fuseFlag = fuseFlag;
    }

    /** The init flag bit; bits 32 and up are {@code flags2} bits on the wire. */
    public long fuseFlag() {
        return fuseFlag;
    }
}

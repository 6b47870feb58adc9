package org.jvirtiofs.fs.passthrough;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.FilesystemFactory;

/**
 * The options of a passthrough share, named as the Rust virtiofsd names its command line options.
 *
 * @param source the host directory to share (absolute)
 * @param cache how much the guest may cache
 * @param writeback accept WRITEBACK_CACHE: the guest caches writes and flushes them later
 * @param readonly refuse every change with EROFS
 * @param xattr serve extended attributes; off, the guest gets EOPNOTSUPP
 * @param uids guest to host user id translation
 * @param gids guest to host group id translation
 * @param announceSubmounts flag host mount points so the guest makes them submounts
 * @param inodeFileHandles whether inodes keep O_PATH fds or file handles
 * @param xattrMap how guest xattr names become host ones ({@link XattrMap#NONE}: unchanged)
 * @param posixLocks accept POSIX_LOCKS: the guest's fcntl locks are taken on the host, where the
 *     host and other guests see them; off, the guest kernel keeps them to itself
 * @param flock accept FLOCK_LOCKS: the guest's flock(2) locks are taken on the host; off, the guest
 *     kernel keeps them to itself
 * @param zeroMessageOpen at cache=always, on a writable share without writeback or host locks,
 *     answer OPEN with ENOSYS so the guest opens and closes files without a round trip
 *     (FsCapability#NO_OPEN_SUPPORT); file I/O then opens the inode per request
 * @param directWrite at cache=auto without writeback, open a file opened write-only, when the guest
 *     holds no other handle on it, with FOPEN_DIRECT_IO: its writes go from the writer's pages to
 *     the host without a copy through the guest's page cache, whose pages of it the next OPEN
 *     would drop anyway
 * @param allowMmap accept DIRECT_IO_ALLOW_MMAP (Linux 6.6 and later): files opened with direct I/O
 *     (cache=never, metadata) may be mapped shared, through the guest's page cache; off, such an
 *     mmap fails with ENODEV, as it always does with older kernels
 * @param readdirplus accept READDIRPLUS (listings carry each entry's attributes) except at
 *     cache=never, whose zero timeouts would have the guest discard them ({@link #listsPlus})
 */
public record PassthroughOptions(Path source, CacheMode cache, boolean writeback,
        boolean readonly, boolean xattr, IdMap uids, IdMap gids, boolean announceSubmounts,
        InodeFileHandles inodeFileHandles, XattrMap xattrMap, boolean posixLocks, boolean flock,
        boolean zeroMessageOpen, boolean directWrite, boolean allowMmap, boolean readdirplus) {
    /** Option: never, auto, metadata or always; default auto. */
    public static final String CACHE = FilesystemFactory.OPTION_CACHE;
    /** Option: true to negotiate WRITEBACK_CACHE; default false. */
    public static final String WRITEBACK = "writeback";
    /** Option: true to share read-only; default false. */
    public static final String READONLY = FilesystemFactory.OPTION_READONLY;
    /** Option: false to refuse extended attributes; default true. */
    public static final String XATTR = "xattr";
    /**
     * Option: user id translation, comma separated entries in the Rust virtiofsd's
     * --translate-uid forms ({@code map:}, {@code guest:}, {@code host:}, {@code squash-guest:},
     * {@code squash-host:}, {@code forbid-guest:}) or plain {@code guest:host:count} ranges.
     */
    public static final String UID_MAP = "uid-map";
    /** Option: group id translation, in the forms of {@link #UID_MAP}. */
    public static final String GID_MAP = "gid-map";
    /** Option: the host user id of every guest user id no uid-map range covers. */
    public static final String SQUASH_UID = "squash-uid";
    /** Option: the host group id of every guest group id no gid-map range covers. */
    public static final String SQUASH_GID = "squash-gid";
    /** Option: true to flag host mount points as submounts; default false. */
    public static final String ANNOUNCE_SUBMOUNTS = "announce-submounts";
    /** Option: never, prefer or mandatory; default never. */
    public static final String INODE_FILE_HANDLES = "inode-file-handles";
    /** Option: xattr name mapping rules in virtiofsd's --xattrmap syntax; default none. */
    public static final String XATTRMAP = "xattrmap";
    /** Option: false to leave fcntl(2) locks to the guest kernel; default true (taken on the host). */
    public static final String POSIX_LOCKS = "posix-locks";
    /** Option: false to leave flock(2) locks to the guest kernel; default true (taken on the host). */
    public static final String FLOCK = "flock";
    /**
     * Option: false to keep OPEN and RELEASE round trips at cache=always; default true (used only
     * at cache=always, writable, without writeback or host locks).
     */
    public static final String ZERO_MESSAGE_OPEN = "zero-message-open";
    /**
     * Option: true to let write-only opens skip the guest's page cache at cache=auto; default
     * false (used only at cache=auto, writable, without writeback).
     */
    public static final String DIRECT_WRITE = "direct-write";
    /**
     * Option: true to let files opened with direct I/O be mapped shared where the kernel allows
     * it (Linux 6.6 and later); default false, as in the Rust virtiofsd (--allow-mmap).
     */
    public static final String ALLOW_MMAP = "allow-mmap";
    /**
     * Option: false to list directories without their entries' attributes (READDIR only); default
     * true, used except at cache=never (as both QEMU daemons do).
     */
    public static final String READDIRPLUS = "readdirplus";

    /** Checks that the source is absolute and nothing is null. */
    public PassthroughOptions {
        if (source == null || !source.isAbsolute()) {
            throw new IllegalArgumentException(FilesystemFactory.OPTION_SOURCE
                    + " must be an absolute directory path; got '" + source + "'");
        }
        if (cache == null || uids == null || gids == null || inodeFileHandles == null
                || xattrMap == null) {
            throw new NullPointerException("cache, uids, gids, inodeFileHandles and xattrMap are required");
        }
    }

    /** Options without xattr name mapping, with locks taken on the host. */
    public PassthroughOptions(Path source, CacheMode cache, boolean writeback, boolean readonly,
            boolean xattr, IdMap uids, IdMap gids, boolean announceSubmounts,
            InodeFileHandles inodeFileHandles) {
        this(source, cache, writeback, readonly, xattr, uids, gids, announceSubmounts,
                inodeFileHandles, XattrMap.NONE, true, true, true, false, false, true);
    }

    /** {@code source} with every other option at its default. */
    public static PassthroughOptions of(Path source) {
        return parse(Map.of(FilesystemFactory.OPTION_SOURCE, source.toString()));
    }

    /**
     * The options a share was configured with; values may be strings or typed (Boolean,
     * Number). Unknown keys are ignored.
     *
     * @throws IllegalArgumentException naming the option and the value if one is missing or
     *     malformed
     */
    public static PassthroughOptions parse(Map<String, ?> options) {
        Object source = options.get(FilesystemFactory.OPTION_SOURCE);
        if (source == null || source.toString().isBlank()) {
            throw new IllegalArgumentException(FilesystemFactory.OPTION_SOURCE
                    + " is required: the host directory to share");
        }
        Object cache = options.get(CACHE);
        Object handles = options.get(INODE_FILE_HANDLES);
        return new PassthroughOptions(Path.of(source.toString().trim()).normalize(),
                cache == null ? CacheMode.AUTO : CacheMode.parse(cache.toString()),
                bool(options, WRITEBACK, false),
                bool(options, READONLY, false),
                bool(options, XATTR, true),
                IdMap.parse(UID_MAP, options.get(UID_MAP), SQUASH_UID, options.get(SQUASH_UID)),
                IdMap.parse(GID_MAP, options.get(GID_MAP), SQUASH_GID, options.get(SQUASH_GID)),
                bool(options, ANNOUNCE_SUBMOUNTS, false),
                handles == null ? InodeFileHandles.NEVER : InodeFileHandles.parse(handles.toString()),
                XattrMap.parse(XATTRMAP, options.get(XATTRMAP)),
                bool(options, POSIX_LOCKS, true),
                bool(options, FLOCK, true),
                bool(options, ZERO_MESSAGE_OPEN, true),
                bool(options, DIRECT_WRITE, false),
                bool(options, ALLOW_MMAP, false),
                bool(options, READDIRPLUS, true));
    }

    /** These options, read-only. */
    public PassthroughOptions withReadonly(boolean value) {
        return new PassthroughOptions(source, cache, writeback, value, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock,
                zeroMessageOpen, directWrite, allowMmap, readdirplus);
    }

    /** These options with another cache mode. */
    public PassthroughOptions withCache(CacheMode value) {
        return new PassthroughOptions(source, value, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock,
                zeroMessageOpen, directWrite, allowMmap, readdirplus);
    }

    /** These options with another inode-file-handles mode. */
    public PassthroughOptions withInodeFileHandles(InodeFileHandles value) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, value, xattrMap, posixLocks, flock,
                zeroMessageOpen, directWrite, allowMmap, readdirplus);
    }

    /** These options with host locks on or off ({@link #POSIX_LOCKS}, {@link #FLOCK}). */
    public PassthroughOptions withLocks(boolean posix, boolean flocks) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posix, flocks,
                zeroMessageOpen, directWrite, allowMmap, readdirplus);
    }

    /** These options with zero-message opens allowed or not ({@link #ZERO_MESSAGE_OPEN}). */
    public PassthroughOptions withZeroMessageOpen(boolean value) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock,
                value, directWrite, allowMmap, readdirplus);
    }

    /** These options with direct writes allowed or not ({@link #DIRECT_WRITE}). */
    public PassthroughOptions withDirectWrite(boolean value) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock,
                zeroMessageOpen, value, allowMmap, readdirplus);
    }

    /** These options with shared mmap of direct-I/O files allowed or not ({@link #ALLOW_MMAP}). */
    public PassthroughOptions withAllowMmap(boolean value) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock, zeroMessageOpen, directWrite,
                value, readdirplus);
    }

    /** These options with READDIRPLUS allowed or not ({@link #READDIRPLUS}). */
    public PassthroughOptions withReaddirplus(boolean value) {
        return new PassthroughOptions(source, cache, writeback, readonly, xattr, uids, gids,
                announceSubmounts, inodeFileHandles, xattrMap, posixLocks, flock, zeroMessageOpen, directWrite,
                allowMmap, value);
    }

    /** Whether listings carry attributes (READDIRPLUS): {@link #readdirplus}, where the cache mode wants them. */
    boolean listsPlus() {
        return readdirplus && cache.listsAttributes();
    }

    /**
     * Whether write-only opens may go direct ({@link #directWrite}): only at cache=auto, whose
     * next OPEN drops the guest's pages of a changed file anyway, and never with writeback, whose
     * point is the guest caching writes.
     */
    boolean writesDirect() {
        return directWrite && cache == CacheMode.AUTO && !writeback && !readonly;
    }

    /**
     * Whether the guest may open files without OPEN: {@link #zeroMessageOpen}, and where nothing
     * needs a handle: cache=always (whose KEEP_CACHE the kernel then assumes), no host locks (ended
     * by FLUSH and RELEASE), no writeback (whose dirty pages a close must see written), writable,
     * and inodes kept by O_PATH fds (a file the guest unlinked while open lives on through its
     * inode's fd; a file handle would not keep it).
     */
    boolean opensWithoutMessages() {
        return zeroMessageOpen && cache == CacheMode.ALWAYS && !writeback && !readonly && !posixLocks
                && !flock && inodeFileHandles == InodeFileHandles.NEVER;
    }

    private static boolean bool(Map<String, ?> options, String key, boolean fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException(
                    key + " must be true or false; got '" + value + "'");
        };
    }
}

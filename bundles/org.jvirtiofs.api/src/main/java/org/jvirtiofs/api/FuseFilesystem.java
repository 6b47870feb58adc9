package org.jvirtiofs.api;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A filesystem served to a guest: one method per FUSE operation, called by the FUSE session with
 * the request already decoded. This interface is the whole contract between wire and provider.
 *
 * <p><b>Everything is optional.</b> Every method defaults to throwing ENOSYS (the lifecycle and
 * FORGET methods default to doing nothing), so a provider implements only what it supports. For
 * many operations Linux remembers an ENOSYS and stops asking; the method docs say what it does.
 *
 * <p><b>Nodes and the lookup count.</b> A node id is a 64-bit value the provider chooses and
 * returns in an {@link Entry}; {@link #FUSE_ROOT_ID} (1) is the root, known without a lookup and
 * kept until {@link #destroy()}. Each entry with a non-zero node id returned by lookup, mknod,
 * mkdir, symlink, link, create, tmpfile, or added by readdirplus, gives the kernel one reference:
 * the node's lookup count goes up by one. {@link #forget} takes {@code n} back. While the count is
 * above zero the kernel may send that id at any time, even after the name is unlinked (open
 * files outlive their names); at zero it never will again unless a new entry returns it, and the
 * provider may drop the node. FORGET travels on its own queue, so it runs concurrently with other
 * requests, but never before the reply that gave the reference was sent.
 *
 * <p><b>Handles.</b> {@link #open}, {@link #opendir} and {@link #create} return a 64-bit handle
 * of the provider's choosing; the kernel passes it back until {@link #release} /
 * {@link #releasedir}.
 *
 * <p><b>Errors and threads.</b> Fail by throwing {@link FsException}: the guest sees its errno. A
 * RuntimeException is a provider bug: the session logs it and replies EIO. Methods are called
 * from several threads at once, for the same node too; implementations must be thread-safe.
 * Names are {@link FileName}s: exact bytes, never containing '/' or NUL.
 */
@ConsumerType
public interface FuseFilesystem extends AutoCloseable {
    /** The root node's id. */
    long FUSE_ROOT_ID = 1;

    /** rename flag: fail with EEXIST if the new name exists. */
    int RENAME_NOREPLACE = 1 << 0;
    /** rename flag: atomically swap the two names, which must both exist. */
    int RENAME_EXCHANGE = 1 << 1;
    /** rename flag: leave a whiteout (char device 0/0) at the old name (overlayfs in the guest). */
    int RENAME_WHITEOUT = 1 << 2;

    /** write flag: a delayed write of cached pages (writeback); the context is not the writer's. */
    int FUSE_WRITE_CACHE = 1 << 0;
    /** write flag: the request carries a lock owner. */
    int FUSE_WRITE_LOCKOWNER = 1 << 1;
    /** write flag (HANDLE_KILLPRIV_V2): clear the set-user-id and set-group-id bits. */
    int FUSE_WRITE_KILL_SUIDGID = 1 << 2;

    /** setxattr flag: fail with EEXIST if the attribute exists. */
    int XATTR_CREATE = 1;
    /** setxattr flag: fail with ENODATA if the attribute does not exist. */
    int XATTR_REPLACE = 2;
    /** setxattr extra flag (SETXATTR_EXT): setting this ACL must also clear set-group-id. */
    int FUSE_SETXATTR_ACL_KILL_SGID = 1 << 0;

    /** fallocate mode: do not change the file size. */
    int FALLOC_FL_KEEP_SIZE = 0x01;
    /** fallocate mode: deallocate the range (always with KEEP_SIZE). */
    int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** fallocate mode: remove the range, shifting what follows down. */
    int FALLOC_FL_COLLAPSE_RANGE = 0x08;
    /** fallocate mode: make the range read as zeros. */
    int FALLOC_FL_ZERO_RANGE = 0x10;
    /** fallocate mode: insert a hole, shifting what follows up. */
    int FALLOC_FL_INSERT_RANGE = 0x20;
    /** fallocate mode: unshare shared (reflinked) blocks. */
    int FALLOC_FL_UNSHARE_RANGE = 0x40;

    /** lseek whence: the next offset at or after {@code offset} holding data. */
    int SEEK_DATA = 3;
    /** lseek whence: the next hole at or after {@code offset} (end of file counts as one). */
    int SEEK_HOLE = 4;

    /** access mask: the file exists. */
    int F_OK = 0;
    /** access mask: execute or search. */
    int X_OK = 1;
    /** access mask: write. */
    int W_OK = 2;
    /** access mask: read. */
    int R_OK = 4;

    /**
     * INIT, the first request of a mount: prepare to serve the root and say which features to
     * accept. Called again after {@link #destroy()} if the guest mounts again.
     *
     * @param offered what both the kernel and the session can do
     * @return the features this provider implements and wants; the session accepts those that
     *     were offered. Default: none.
     */
    default Set<FsCapability> init(Set<FsCapability> offered) throws FsException {
        return Set.of();
    }

    /**
     * DESTROY: the guest unmounted, or the session ends. Drop every node but the root and every
     * handle; no FORGET or RELEASE will come for them. Default: nothing.
     */
    default void destroy() {
    }

    /**
     * Hot swap: the share is replacing this provider while the guest stays mounted. No request is
     * in flight and none will come; describe every node and handle the guest holds so that
     * {@link FilesystemFactory#takeOver} of the replacement can keep serving them. {@link #close()}
     * follows, so hand over duplicates of any descriptor you want to survive it.
     *
     * <p>Optional. Default: EOPNOTSUPP, and the replacement starts empty: the guest's nodes and
     * handles become stale (their operations fail with EBADF or ESTALE) until it looks them up again.
     */
    default Handover handover() throws FsException {
        throw FsException.of(Errno.EOPNOTSUPP);
    }

    /** The share is gone for good: release everything (e.g. the source dir). Default: nothing. */
    @Override
    default void close() {
    }

    /**
     * LOOKUP: resolve {@code name} in directory {@code parent}. Success adds one to the node's
     * lookup count. For a missing name throw ENOENT, or return {@link Entry#negative} to let the
     * kernel cache the absence for its timeout. "." and ".." only arrive with EXPORT_SUPPORT.
     */
    default Entry lookup(Context ctx, long parent, FileName name) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * FORGET: the kernel drops {@code nlookup} references to the node; at zero it may be
     * dropped. There is no reply, so nothing can fail. Default: nothing.
     */
    default void forget(Context ctx, long nodeId, long nlookup) {
    }

    /** BATCH_FORGET (/dev/fuse only; virtiofs sends single FORGETs). Default: forget each. */
    default void batchForget(Context ctx, List<ForgetOne> forgets) {
        for (ForgetOne f : forgets) {
            forget(ctx, f.nodeId(), f.nlookup());
        }
    }

    /**
     * GETATTR: the node's attributes. {@code handle} is present only when the kernel asks about
     * an open file (fstat; FUSE_GETATTR_FH) and then names that file's handle.
     */
    default AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * SETATTR: change the fields {@code valid} names (chmod, chown, truncate, utimensat), taking
     * the values from {@code attr}, and return the attributes after the change. {@code handle}
     * is present when FATTR_FH is set (ftruncate, or truncate on an open file). With
     * FATTR_KILL_SUIDGID also clear the set-id bits, as an unprivileged chown/truncate does.
     */
    default AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid,
            OptionalLong handle) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** READLINK: the symlink's target, as bytes without a trailing NUL. */
    default byte[] readlink(Context ctx, long nodeId) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** SYMLINK: create {@code name} in {@code parent}, pointing to {@code target}; a lookup. */
    default Entry symlink(Context ctx, long parent, FileName name, byte[] target)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * MKNOD: create a regular file, device, fifo or socket ({@code mode} holds the type); counts
     * a lookup. {@code mode} is already masked by {@code umask} unless DONT_MASK was accepted.
     * Also used for files when {@link #create} is unsupported.
     */
    default Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** MKDIR: create a directory; counts a lookup. umask as in {@link #mknod}. */
    default Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** UNLINK: remove a non-directory name. The node lives on until forgotten. */
    default void unlink(Context ctx, long parent, FileName name) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** RMDIR: remove an empty directory (ENOTEMPTY otherwise). */
    default void rmdir(Context ctx, long parent, FileName name) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * RENAME / RENAME2: move a name, with RENAME_* {@code flags}. ENOSYS with flags set makes
     * Linux stop sending flags and fail such renames with EINVAL.
     */
    default void rename(Context ctx, long oldParent, FileName oldName, long newParent,
            FileName newName, int flags) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** LINK: give node {@code nodeId} another name; counts a lookup on it. */
    default Entry link(Context ctx, long nodeId, long newParent, FileName newName)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * OPEN: open a file. O_CREAT, O_EXCL and O_NOCTTY never arrive; O_TRUNC only with
     * ATOMIC_O_TRUNC. {@code killSuidgid} (HANDLE_KILLPRIV_V2, with O_TRUNC): clear set-id bits.
     * With WRITEBACK_CACHE the kernel may read through a write-only open and does O_APPEND
     * itself, so open O_WRONLY as O_RDWR and drop O_APPEND. ENOSYS: Linux stops sending OPEN
     * and RELEASE, and passes handle 0 from then on (fine for stateless providers).
     */
    default OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * CREATE: atomically create and open {@code name}; the entry counts a lookup. Flags as in
     * {@link #open} but O_CREAT (and O_EXCL if asked) are present; umask as in {@link #mknod}.
     * ENOSYS: Linux stops sending CREATE and uses MKNOD then OPEN.
     */
    default CreateReply create(Context ctx, long parent, FileName name, int mode,
            OpenFlags flags, int umask, boolean killSuidgid) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * READ: up to {@code size} bytes at {@code offset} into {@code dst}, committed as written.
     * Fewer bytes than asked means end of file (unless DIRECT_IO, where it is returned as is).
     * {@code lockOwner} is present only if the kernel sent one.
     *
     * @return the number of bytes committed to {@code dst}
     */
    default int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * WRITE: {@code size} bytes from {@code src} at {@code offset}. {@code writeFlags} are the
     * FUSE_WRITE_* bits: with FUSE_WRITE_CACHE the context is not the writer's; with
     * FUSE_WRITE_KILL_SUIDGID clear the set-id bits. Short writes are returned to the writer.
     *
     * @return the number of bytes written, consumed from {@code src}
     */
    default int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * FLUSH: sent on every close(2) of a descriptor for this open file (dup'd descriptors each
     * close), before RELEASE; its error is what close returns. ENOSYS: Linux stops sending it.
     */
    default void flush(Context ctx, long nodeId, long handle, long lockOwner)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * FSYNC: make the file's data (and metadata unless {@code datasync}) durable. ENOSYS: Linux
     * stops sending it and fsync(2) succeeds.
     */
    default void fsync(Context ctx, long nodeId, long handle, boolean datasync)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * RELEASE: the last reference to the open file is gone; forget {@code handle}. The kernel
     * ignores the result. {@code flush}: flush first. {@code flockRelease}: drop the flock
     * locks {@code lockOwner} holds on it (lockOwner is meaningful if either is set).
     */
    default void release(Context ctx, long nodeId, long handle, OpenFlags flags, boolean flush,
            boolean flockRelease, long lockOwner) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** STATFS: statistics of the filesystem holding {@code nodeId}. */
    default StatFs statfs(Context ctx, long nodeId) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * SETXATTR: set an extended attribute. {@code flags}: XATTR_CREATE / XATTR_REPLACE;
     * {@code extFlags}: FUSE_SETXATTR_* bits (0 without SETXATTR_EXT). ENOSYS from any xattr
     * method: Linux stops sending it and returns EOPNOTSUPP.
     */
    default void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags,
            int extFlags) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * GETXATTR: the attribute's value; ENODATA if it is not set. Return the whole value: the
     * session implements the size protocol (for {@code size} 0 it replies only the length; if
     * the value is longer than {@code size} it replies ERANGE). {@code size} is a hint.
     */
    default byte[] getxattr(Context ctx, long nodeId, String name, int size) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * LISTXATTR: every attribute name, each followed by a NUL byte (the listxattr(2) format).
     * Size protocol as in {@link #getxattr}.
     */
    default byte[] listxattr(Context ctx, long nodeId, int size) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** REMOVEXATTR: remove an attribute; ENODATA if it is not set. */
    default void removexattr(Context ctx, long nodeId, String name) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * OPENDIR: open a directory for listing. FOPEN_CACHE_DIR lets the kernel cache the listing.
     * ENOSYS: Linux stops sending OPENDIR and RELEASEDIR and passes handle 0 from then on.
     */
    default OpenReply opendir(Context ctx, long nodeId, OpenFlags flags) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * READDIR: add entries to {@code sink} from {@code offset} until it is full or the
     * directory ends. {@code offset} is 0 for the start or a {@link DirEntry#nextOffset()}
     * returned earlier; cookies must be stable (see there). {@code size} is the reply's byte
     * budget, which the sink enforces. Include "." and "..": the kernel does not invent them.
     * Adding nothing means end of directory. Throwing discards what was added. Readdir does not
     * touch lookup counts.
     */
    default void readdir(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntrySink sink) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * READDIRPLUS (only if DO_READDIRPLUS was accepted): as {@link #readdir}, with each name's
     * lookup result. Every entry the sink accepts with a non-zero node id counts as a lookup;
     * check {@link DirEntryPlusSink#fits} first to avoid lookups you would have to undo.
     */
    default void readdirplus(Context ctx, long nodeId, long handle, long offset, int size,
            DirEntryPlusSink sink) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** RELEASEDIR: the directory handle is closed; the kernel ignores the result. */
    default void releasedir(Context ctx, long nodeId, long handle, OpenFlags flags)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** FSYNCDIR: as {@link #fsync}, for a directory. ENOSYS: Linux stops sending it. */
    default void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * GETLK (only with POSIX_LOCKS): the first lock that would conflict with {@code lock} if
     * {@code owner} took it, or {@link FileLock#unlocked()} if none would.
     */
    default FileLock getlk(Context ctx, long nodeId, long handle, long owner, FileLock lock)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * SETLK / SETLKW (only with POSIX_LOCKS or FLOCK_LOCKS): take or release ({@code F_UNLCK})
     * {@code lock} for {@code owner}. {@code flock}: a flock(2) lock, else POSIX. Without
     * {@code sleep}, fail with EAGAIN on conflict; with it, wait until granted, on a thread of
     * the transport's own (the requests after it are served meanwhile), and end the wait with
     * EINTR when that thread is interrupted: the kernel interrupted the request (a signal to
     * the waiting process on a /dev/fuse mount) or the transport is stopping. A provider may
     * refuse to sleep with EOPNOTSUPP.
     */
    default void setlk(Context ctx, long nodeId, long handle, long owner, FileLock lock,
            boolean flock, boolean sleep) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * ACCESS: check {@code mask} (R_OK, W_OK, X_OK, F_OK) for the caller. Never sent by virtiofs,
     * whose mounts check permissions in the guest; /dev/fuse mounts may send it. ENOSYS: Linux
     * stops sending it and allows the access.
     */
    default void access(Context ctx, long nodeId, int mask) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * FALLOCATE: allocate or manipulate space with FALLOC_FL_* {@code mode}. ENOSYS: Linux stops
     * sending it and fails fallocate(2) with EOPNOTSUPP.
     */
    default void fallocate(Context ctx, long nodeId, long handle, int mode, long offset,
            long length) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * LSEEK: the kernel asks only for SEEK_DATA and SEEK_HOLE; it handles the others itself.
     * ENXIO if there is no data (or hole) at or after {@code offset}. ENOSYS: Linux stops sending
     * it and treats the whole file as data.
     *
     * @return the resulting offset
     */
    default long lseek(Context ctx, long nodeId, long handle, long offset, int whence)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * COPY_FILE_RANGE: copy {@code length} bytes between two open files without passing them
     * through the guest. A short count is fine; the reply field is 32 bits, so copy at most
     * 0xFFFFFFFF bytes. ENOSYS: Linux stops sending it and copies through the guest.
     *
     * @return the number of bytes copied
     */
    default long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn,
            long nodeOut, long handleOut, long offsetOut, long length, long flags)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /** SYNCFS: make the whole filesystem durable (sync -f). ENOSYS: Linux stops sending it. */
    default void syncfs(Context ctx, long nodeId) throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }

    /**
     * TMPFILE: create an unnamed file in {@code parent} (open(O_TMPFILE)) and open it; the entry
     * counts a lookup, and LINK may give it a name later. ENOSYS: Linux stops sending it and
     * fails O_TMPFILE with EOPNOTSUPP.
     */
    default CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags, int umask)
            throws FsException {
        throw FsException.of(Errno.ENOSYS);
    }
}

package org.jvirtiofs.posix;

import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening names without ever leaving a directory tree: every name is one component opened
 * relative to its parent's fd with openat2 {@code RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS |
 * RESOLVE_NO_SYMLINKS} and {@code O_NOFOLLOW}, so a symlink is opened as itself (O_PATH) or
 * refused (ELOOP), never followed, and no path string is built from the tree's root. Without
 * openat2 (ENOSYS) a plain openat with O_NOFOLLOW is as safe, because the name holds no '/' and
 * is never "..". Also the one magic link a provider follows: /proc/self/fd of its own fds.
 */
public final class Beneath implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Beneath.class);
    private static final long RESOLVE = OpenFlags.RESOLVE_BENEATH | OpenFlags.RESOLVE_NO_MAGICLINKS
            | OpenFlags.RESOLVE_NO_SYMLINKS;

    private final int procSelfFd;
    private volatile boolean noOpenat2;

    /**
     * Opens /proc/self/fd for {@link #reopen}.
     *
     * @param openat2 false to confine with the O_NOFOLLOW fallback even where openat2 exists
     */
    public Beneath(boolean openat2) throws PosixException {
        noOpenat2 = !openat2;
        procSelfFd = Fs.openat(AtFlags.AT_FDCWD, "/proc/self/fd",
                OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
    }

    /**
     * Opens (or with O_CREAT or O_TMPFILE creates) the single component {@code name} in the
     * directory open on {@code dirFd}; O_NOFOLLOW and O_CLOEXEC are always added.
     *
     * @throws PosixException EXDEV for a name with '/' or "..", which never comes from a guest
     */
    public int openChild(int dirFd, byte[] name, int flags, int mode) throws PosixException {
        int all = flags | OpenFlags.O_NOFOLLOW | OpenFlags.O_CLOEXEC;
        if (!noOpenat2) {
            try {
                return Fs.openat2(dirFd, name, Integer.toUnsignedLong(all),
                        (flags & (OpenFlags.O_CREAT | OpenFlags.O_TMPFILE)) != 0 ? mode : 0, RESOLVE);
            } catch (PosixException e) {
                if (e.errno() != Errno.ENOSYS) {
                    throw e;
                }
                LOG.warn("openat2 is missing: confining with O_NOFOLLOW per component");
                noOpenat2 = true;
            }
        }
        if (isDotDot(name) || indexOf(name, (byte) '/') >= 0) {
            throw new PosixException(Errno.EXDEV, "openat", new String(name, StandardCharsets.UTF_8));
        }
        return Fs.openat(dirFd, name, all, mode);
    }

    /**
     * The status of the single component {@code name} in the directory open on {@code dirFd},
     * never following it: the file {@link #openChild} would open with O_PATH, without opening
     * it (basic stats and the mount id; no automount is triggered, as O_PATH triggers none).
     *
     * @throws PosixException EXDEV for a name with '/' or "..", which never comes from a guest
     */
    public Stat statChild(int dirFd, byte[] name) throws PosixException {
        if (isDotDot(name) || indexOf(name, (byte) '/') >= 0) {
            throw new PosixException(Errno.EXDEV, "statx", new String(name, StandardCharsets.UTF_8));
        }
        return Fs.statx(dirFd, name, AtFlags.AT_SYMLINK_NOFOLLOW | AtFlags.AT_NO_AUTOMOUNT,
                AtFlags.STATX_BASIC_STATS | AtFlags.STATX_MNT_ID);
    }

    /** Whether names are opened with openat2 (false: the per-component O_NOFOLLOW fallback). */
    public boolean usesOpenat2() {
        return !noOpenat2;
    }

    /**
     * Reopens our own fd (often O_PATH) with other flags through /proc/self/fd: the one magic
     * link followed, because it names a file already held. O_NOFOLLOW would refuse it.
     */
    public int reopen(int fd, int flags) throws PosixException {
        int clean = (flags | OpenFlags.O_CLOEXEC)
                & ~(OpenFlags.O_NOFOLLOW | OpenFlags.O_CREAT | OpenFlags.O_EXCL | OpenFlags.O_NOCTTY);
        return Fs.openat(procSelfFd, Integer.toString(fd), clean, 0);
    }

    /** chmod of our own fd's file through /proc/self/fd: O_PATH fds have no fchmod. */
    public void chmod(int fd, int mode) throws PosixException {
        Fs.fchmodat(procSelfFd, Integer.toString(fd), mode, 0);
    }

    private static boolean isDotDot(byte[] name) {
        return name.length == 2 && name[0] == '.' && name[1] == '.';
    }

    private static int indexOf(byte[] a, byte b) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public void close() {
        Io.closeQuietly(procSelfFd);
    }
}

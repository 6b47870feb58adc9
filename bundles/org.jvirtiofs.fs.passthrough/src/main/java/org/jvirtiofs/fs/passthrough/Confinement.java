package org.jvirtiofs.fs.passthrough;

import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.Beneath;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;

/**
 * Opens names without ever leaving the share. Every name is one component opened relative to its
 * parent's fd with openat2 RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS and
 * O_NOFOLLOW: a symlink is opened as itself (O_PATH) or refused (ELOOP), never followed on the
 * host, and no path string is ever built from the share root. Without openat2 (ENOSYS) a plain
 * openat with O_NOFOLLOW is as safe, because the name holds no '/' and is never "..".
 *
 * <p>The system property {@value #OPENAT2_PROPERTY}{@code =false} confines with that fallback even
 * where openat2 exists, so its tests run on any kernel (and a suspected openat2 problem can be
 * ruled out); it is read when a share opens.
 */
final class Confinement implements AutoCloseable {
    private static final int MAX_DEPTH = 4096;
    /** System property: {@code false} never calls openat2, as on a kernel without it. */
    static final String OPENAT2_PROPERTY = "org.jvirtiofs.fs.passthrough.openat2";

    private final Beneath beneath;

    Confinement() throws PosixException {
        this(!"false".equalsIgnoreCase(System.getProperty(OPENAT2_PROPERTY, "true").trim()));
    }

    /** With {@code openat2} false, every name is opened by the O_NOFOLLOW fallback. */
    Confinement(boolean openat2) throws PosixException {
        beneath = new Beneath(openat2);
    }

    /**
     * Opens (or with O_CREAT creates) the single component {@code name} in the directory open
     * on {@code dirFd}; O_NOFOLLOW and O_CLOEXEC are always added.
     */
    int openChild(int dirFd, String name, int flags, int mode) throws PosixException {
        return openChild(dirFd, name.getBytes(StandardCharsets.UTF_8), flags, mode);
    }

    /** As {@link #openChild(int, String, int, int)}, the name as its exact bytes. */
    int openChild(int dirFd, byte[] name, int flags, int mode) throws PosixException {
        return beneath.openChild(dirFd, name, flags, mode);
    }

    /** The status of the single component {@code name}, not followed: what openChild would open. */
    Stat statChild(int dirFd, byte[] name) throws PosixException {
        return beneath.statChild(dirFd, name);
    }

    /** Whether names are opened with openat2 (false: the per-component O_NOFOLLOW fallback). */
    boolean usesOpenat2() {
        return beneath.usesOpenat2();
    }

    /** Reopens our own fd (often O_PATH) with other flags through /proc/self/fd. */
    int reopen(int fd, int flags) throws PosixException {
        return beneath.reopen(fd, flags);
    }

    /** chmod of our own fd's file through /proc/self/fd: O_PATH fds have no fchmod. */
    void chmod(int fd, int mode) throws PosixException {
        beneath.chmod(fd, mode);
    }

    /**
     * The parent of the directory open on {@code dirFd}, if it is still inside the share whose
     * root has {@code root}'s device and inode; else EACCES. The host may have moved the
     * directory out of the share, so this climbs to the share root or to "/" to find out.
     */
    int parentWithin(int dirFd, Stat root) throws FsException, PosixException {
        int parent = Fs.openat(dirFd, "..", OpenFlags.O_PATH | OpenFlags.O_DIRECTORY
                | OpenFlags.O_CLOEXEC, 0);
        boolean within = false;
        try {
            within = isBelow(parent, root);
        } finally {
            if (!within) {
                Descriptors.closeQuietly(parent);
            }
        }
        if (!within) {
            throw FsException.of(Errno.EACCES);
        }
        return parent;
    }

    /** Whether climbing ".." from {@code dirFd} meets {@code root} before "/". */
    private static boolean isBelow(int dirFd, Stat root) throws PosixException {
        int cur = Io.dup(dirFd);
        try {
            for (int depth = 0; depth < MAX_DEPTH; depth++) {
                Stat st = Fs.fstat(cur);
                if (st.ino() == root.ino() && st.dev() == root.dev()) {
                    return true;
                }
                int up = Fs.openat(cur, "..", OpenFlags.O_PATH | OpenFlags.O_DIRECTORY
                        | OpenFlags.O_CLOEXEC, 0);
                Descriptors.closeQuietly(cur);
                cur = up;
                Stat upSt = Fs.fstat(cur);
                if (upSt.ino() == st.ino() && upSt.dev() == st.dev()) {
                    return false; // reached "/" without passing the share root
                }
            }
            return false;
        } finally {
            Descriptors.closeQuietly(cur);
        }
    }

    @Override
    public void close() {
        beneath.close();
    }
}

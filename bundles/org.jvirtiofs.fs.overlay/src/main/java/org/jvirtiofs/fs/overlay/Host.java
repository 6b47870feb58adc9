package org.jvirtiofs.fs.overlay;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Beneath;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;
import org.jvirtiofs.posix.ThisProcess;
import org.jvirtiofs.posix.Xattrs;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host calls the overlay makes, confined to the layer directories as passthrough confines
 * its share ({@link Beneath}): every name is one component opened relative to its parent's fd,
 * so no symlink in a layer is ever followed on the host. Also the whiteout and opaque tests of both formats, and the origin xattr
 * that keeps an inode number across copy-up.
 */
final class Host implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Host.class);
    /** OCI whiteout prefix: {@code .wh.NAME} deletes NAME of the layers below. */
    static final byte[] WH_PREFIX = ".wh.".getBytes(StandardCharsets.US_ASCII);
    /** OCI opaque marker: a directory holding it hides the layers below. */
    static final byte[] OPAQUE_MARKER = ".wh..wh..opq".getBytes(StandardCharsets.US_ASCII);
    /** overlayfs's opaque xattr, and the prefix of every xattr overlayfs keeps for itself. */
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    static final String OVERLAY_XATTRS = "trusted.overlay.";
    private static final int NAME_MAX = 255;

    /** Our own xattr on an upper copy: the inode number the guest saw before copy-up. */
    final String originXattr;
    private final Beneath beneath;

    Host() throws PosixException {
        // trusted.* needs CAP_SYS_ADMIN; an unprivileged daemon keeps the origin in user.*
        originXattr = ThisProcess.geteuid() == 0 ? "trusted.jvirtiofs.origin" : "user.jvirtiofs.origin";
        beneath = new Beneath(true);
    }

    /** An overlay xattr the guest set: stored escaped, as overlayfs (Linux 6.7+) stores it for nested overlays. */
    static final String ESCAPED_XATTRS = OVERLAY_XATTRS + "overlay.";

    /**
     * Whether the host xattr {@code name} is one the overlay keeps for itself, never shown to the
     * guest: overlayfs's own (but escaped ones) and ours.
     */
    boolean isPrivateXattr(String name) {
        return (name.startsWith(OVERLAY_XATTRS) && !name.startsWith(ESCAPED_XATTRS)) || isOwnXattr(name);
    }

    /** Whether {@code name} is one of this overlay's own xattrs, which the guest may not set. */
    static boolean isOwnXattr(String name) {
        return name.startsWith("trusted.jvirtiofs.") || name.startsWith("user.jvirtiofs.");
    }

    /** The host name of the guest's xattr {@code name}: {@code trusted.overlay.X} is escaped. */
    static String xattrToHost(String name) {
        return name.startsWith(OVERLAY_XATTRS) ? ESCAPED_XATTRS + name.substring(OVERLAY_XATTRS.length()) : name;
    }

    /** The guest's name of the host xattr {@code name}, or null if the guest does not see it. */
    String xattrToGuest(String name) {
        if (name.startsWith(ESCAPED_XATTRS)) {
            return OVERLAY_XATTRS + name.substring(ESCAPED_XATTRS.length());
        }
        return isPrivateXattr(name) ? null : name;
    }

    /** Opens the single component {@code name} in the directory open on {@code dirFd}, confined. */
    int openChild(int dirFd, byte[] name, int flags, int mode) throws PosixException {
        return beneath.openChild(dirFd, name, flags, mode);
    }

    /** The O_PATH fd of {@code name} in {@code dirFd}, or -1 if there is none (ENOENT). */
    int find(int dirFd, byte[] name) throws PosixException {
        try {
            return openChild(dirFd, name, OpenFlags.O_PATH, 0);
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT) {
                return -1;
            }
            throw e;
        }
    }

    /** Reopens our own fd with other flags through /proc/self/fd. */
    int reopen(int fd, int flags) throws PosixException {
        return beneath.reopen(fd, flags);
    }

    /** The path of our own fd, for calls without an fd form. */
    static String proc(int fd) {
        return "/proc/self/fd/" + fd;
    }

    /** chmod of our own (O_PATH) fd's file. */
    void chmod(int fd, int mode) throws PosixException {
        beneath.chmod(fd, mode);
    }

    /** Whether {@code name} in {@code dirFd} exists (not following a symlink). */
    static boolean exists(int dirFd, byte[] name) throws PosixException {
        try {
            Fs.fstatat(dirFd, name, AtFlags.AT_SYMLINK_NOFOLLOW);
            return true;
        } catch (PosixException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENAMETOOLONG) {
                return false;
            }
            throw e;
        }
    }

    /** An overlayfs whiteout: a character device with device number 0/0. */
    static boolean isWhiteout(Stat st) {
        return st.type() == FileMode.S_IFCHR && st.rdevMajor() == 0 && st.rdevMinor() == 0;
    }

    /** Whether the names starts with the OCI whiteout prefix (whiteouts and the opaque marker). */
    static boolean isOciName(byte[] name) {
        if (name.length < WH_PREFIX.length) {
            return false;
        }
        for (int i = 0; i < WH_PREFIX.length; i++) {
            if (name[i] != WH_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code .wh.NAME}, or null if it would be too long to exist. */
    static byte[] ociWhiteout(byte[] name) {
        if (name.length + WH_PREFIX.length > NAME_MAX) {
            return null;
        }
        byte[] wh = Arrays.copyOf(WH_PREFIX, WH_PREFIX.length + name.length);
        System.arraycopy(name, 0, wh, WH_PREFIX.length, name.length);
        return wh;
    }

    /** Whether the layer directory {@code dirFd} holds an OCI whiteout for {@code name}. */
    static boolean hasOciWhiteout(int dirFd, byte[] name) throws PosixException {
        byte[] wh = ociWhiteout(name);
        return wh != null && exists(dirFd, wh);
    }

    /** Whether the directory open on {@code dirFd} hides the layers below, in either format. */
    boolean isOpaque(int dirFd) throws PosixException {
        if (exists(dirFd, OPAQUE_MARKER)) {
            return true;
        }
        try {
            byte[] v = Xattrs.getxattr(proc(dirFd), OPAQUE_XATTR, true);
            return v.length == 1 && v[0] == 'y';
        } catch (PosixException e) {
            if (quietXattrError(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The origin inode number recorded on an upper copy, or -1. */
    long origin(int fd) {
        try {
            byte[] v = Xattrs.getxattr(proc(fd), originXattr, true);
            return Long.parseLong(new String(v, StandardCharsets.US_ASCII));
        } catch (PosixException | NumberFormatException e) {
            return -1;
        }
    }

    /** Records {@code ino} as the origin of the upper copy open on {@code fd}; best effort. */
    void setOrigin(int fd, long ino) {
        try {
            Xattrs.setxattr(proc(fd), originXattr, Long.toString(ino).getBytes(StandardCharsets.US_ASCII), 0, true);
        } catch (PosixException e) {
            LOG.debug("cannot record the origin inode: {}", e.getMessage());
        }
    }

    /** Marks the upper directory open on {@code dirFd} opaque, in {@code format}. */
    void makeOpaque(int dirFd, WhiteoutFormat format) throws PosixException {
        if (format == WhiteoutFormat.OCI) {
            Io.close(openChild(dirFd, OPAQUE_MARKER, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644));
        } else {
            Xattrs.setxattr(proc(dirFd), OPAQUE_XATTR, new byte[] {'y'}, 0, true);
        }
    }

    /** Writes a whiteout for {@code name} into the upper directory {@code dirFd}. */
    void whiteout(int dirFd, byte[] name, WhiteoutFormat format) throws PosixException {
        if (format == WhiteoutFormat.OCI) {
            byte[] wh = ociWhiteout(name);
            if (wh == null) {
                throw new PosixException(Errno.ENAMETOOLONG, "whiteout", new String(name, StandardCharsets.UTF_8));
            }
            Io.close(openChild(dirFd, wh, OpenFlags.O_CREAT | OpenFlags.O_WRONLY, 0644));
        } else {
            Fs.mknodat(dirFd, name, FileMode.S_IFCHR, 0);
        }
    }

    /** Removes a 0/0 device whiteout of {@code name} from the upper directory {@code dirFd}, if any. */
    void removeDeviceWhiteout(int dirFd, byte[] name) throws PosixException {
        try {
            Stat st = Fs.fstatat(dirFd, name, AtFlags.AT_SYMLINK_NOFOLLOW);
            if (isWhiteout(st)) {
                Fs.unlinkat(dirFd, name, 0);
            }
        } catch (PosixException e) {
            if (e.errno() != Errno.ENOENT) {
                throw e;
            }
        }
    }

    /** Removes an OCI whiteout {@code .wh.NAME} from the upper directory {@code dirFd}, if any. */
    void removeOciWhiteout(int dirFd, byte[] name) throws PosixException {
        byte[] wh = ociWhiteout(name);
        if (wh != null && exists(dirFd, wh)) {
            Fs.unlinkat(dirFd, wh, 0);
        }
    }

    /** An xattr failure that means "not there" or "not supported here". */
    static boolean quietXattrError(PosixException e) {
        int n = e.errno();
        return n == Errno.ENODATA || n == Errno.EOPNOTSUPP || n == Errno.EPERM || n == Errno.EACCES;
    }

    /** Closes {@code fd} if it is one, logging a failure. */
    static void close(int fd) {
        Io.closeQuietly(fd);
    }

    @Override
    public void close() {
        beneath.close();
    }
}

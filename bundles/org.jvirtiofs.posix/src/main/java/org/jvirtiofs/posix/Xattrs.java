package org.jvirtiofs.posix;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jvirtiofs.posix.jnr.LibC;
import org.jvirtiofs.posix.jnr.Native;

/**
 * Extended attributes on an fd (f*xattr), on a path following a final symlink (*xattr) or on
 * the symlink itself (l*xattr). O_PATH fds refuse the f* calls (EBADF): use the following
 * path form on {@code "/proc/self/fd/N"}. The buffer forms return the size (ERANGE if the
 * buffer is too small); a null buffer asks for the size.
 */
public final class Xattrs {
    private Xattrs() {
    }

    /** fgetxattr(2) into {@code value} (or null for the size): returns the value's size. */
    public static int fgetxattr(int fd, String name, byte[] value) throws PosixException {
        return checked(Native.libc().fgetxattr(fd, name, value, length(value)), "fgetxattr", name);
    }

    /** fgetxattr(2): the whole value. */
    public static byte[] fgetxattr(int fd, String name) throws PosixException {
        while (true) {
            byte[] value = new byte[fgetxattr(fd, name, null)];
            try {
                return Arrays.copyOf(value, fgetxattr(fd, name, value));
            } catch (PosixException e) {
                rethrowUnlessGrown(e); // the value grew between the two calls
            }
        }
    }

    /** fsetxattr(2) with {@link XattrFlags} XATTR_CREATE/XATTR_REPLACE or 0. */
    public static void fsetxattr(int fd, String name, byte[] value, int flags) throws PosixException {
        checked(Native.libc().fsetxattr(fd, name, value, value.length, flags), "fsetxattr", name);
    }

    /** flistxattr(2) into {@code list} (or null for the size): NUL-separated names, returns their size. */
    public static int flistxattr(int fd, byte[] list) throws PosixException {
        return checked(Native.libc().flistxattr(fd, list, length(list)), "flistxattr", Integer.toString(fd));
    }

    /** flistxattr(2): the names. */
    public static List<String> flistxattr(int fd) throws PosixException {
        while (true) {
            byte[] list = new byte[flistxattr(fd, null)];
            try {
                return names(list, flistxattr(fd, list));
            } catch (PosixException e) {
                rethrowUnlessGrown(e);
            }
        }
    }

    /** fremovexattr(2). */
    public static void fremovexattr(int fd, String name) throws PosixException {
        checked(Native.libc().fremovexattr(fd, name), "fremovexattr", name);
    }

    /** getxattr(2), or lgetxattr(2) when not following a final symlink: returns the value's size. */
    public static int getxattr(String path, String name, byte[] value, boolean follow) throws PosixException {
        LibC libc = Native.libc();
        return follow ? checked(libc.getxattr(path, name, value, length(value)), "getxattr", name)
                : checked(libc.lgetxattr(path, name, value, length(value)), "lgetxattr", name);
    }

    /** getxattr(2) or lgetxattr(2): the whole value. */
    public static byte[] getxattr(String path, String name, boolean follow) throws PosixException {
        while (true) {
            byte[] value = new byte[getxattr(path, name, null, follow)];
            try {
                return Arrays.copyOf(value, getxattr(path, name, value, follow));
            } catch (PosixException e) {
                rethrowUnlessGrown(e);
            }
        }
    }

    /** setxattr(2), or lsetxattr(2) when not following, with XATTR_CREATE/XATTR_REPLACE or 0. */
    public static void setxattr(String path, String name, byte[] value, int flags, boolean follow)
            throws PosixException {
        LibC libc = Native.libc();
        if (follow) {
            checked(libc.setxattr(path, name, value, value.length, flags), "setxattr", name);
        } else {
            checked(libc.lsetxattr(path, name, value, value.length, flags), "lsetxattr", name);
        }
    }

    /** listxattr(2), or llistxattr(2) when not following, into {@code list} (or null): returns the size. */
    public static int listxattr(String path, byte[] list, boolean follow) throws PosixException {
        LibC libc = Native.libc();
        return follow ? checked(libc.listxattr(path, list, length(list)), "listxattr", path)
                : checked(libc.llistxattr(path, list, length(list)), "llistxattr", path);
    }

    /** listxattr(2) or llistxattr(2): the names. */
    public static List<String> listxattr(String path, boolean follow) throws PosixException {
        while (true) {
            byte[] list = new byte[listxattr(path, null, follow)];
            try {
                return names(list, listxattr(path, list, follow));
            } catch (PosixException e) {
                rethrowUnlessGrown(e);
            }
        }
    }

    /** removexattr(2), or lremovexattr(2) when not following. */
    public static void removexattr(String path, String name, boolean follow) throws PosixException {
        LibC libc = Native.libc();
        if (follow) {
            checked(libc.removexattr(path, name), "removexattr", name);
        } else {
            checked(libc.lremovexattr(path, name), "lremovexattr", name);
        }
    }

    /** Splits a NUL-separated name list, as the list calls return it. */
    public static List<String> names(byte[] list, int length) {
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < length; i++) {
            if (list[i] == 0) {
                names.add(new String(list, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return names;
    }

    private static int checked(long result, String call, String detail) throws PosixException {
        if (result < 0) {
            throw Native.error(call, detail);
        }
        return (int) result;
    }

    private static long length(byte[] buffer) {
        return buffer == null ? 0 : buffer.length;
    }

    private static void rethrowUnlessGrown(PosixException e) throws PosixException {
        if (e.errno() != Errno.ERANGE) {
            throw e;
        }
    }
}

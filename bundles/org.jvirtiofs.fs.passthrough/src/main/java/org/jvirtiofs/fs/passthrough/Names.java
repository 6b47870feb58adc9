package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * Guest names as the bytes the native layer takes: names are handed to the host exactly as the
 * guest sent them, UTF-8 or not, so a host name that is not UTF-8 can be looked up, renamed and
 * removed, and a guest can create one.
 */
final class Names {
    private static final byte[] DOT = {'.'};
    private static final byte[] DOT_DOT = {'.', '.'};

    private Names() {
    }

    /** A name to create, remove or rename: never "." or "..". */
    static byte[] component(FileName name) throws FsException {
        if (name.isDotOrDotDot()) {
            throw FsException.of(Errno.EINVAL);
        }
        return name.toByteArray();
    }

    /** Whether {@code name} is ".". */
    static boolean isDot(byte[] name) {
        return java.util.Arrays.equals(name, DOT);
    }

    /** Whether {@code name} is "..". */
    static boolean isDotDot(byte[] name) {
        return java.util.Arrays.equals(name, DOT_DOT);
    }

    /** The path of our own fd through /proc, for calls that have no fd form. */
    static String procFd(int fd) {
        return "/proc/self/fd/" + fd;
    }
}

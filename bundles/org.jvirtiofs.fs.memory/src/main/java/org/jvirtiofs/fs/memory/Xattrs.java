package org.jvirtiofs.fs.memory;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;

/**
 * A node's extended attributes, with the limits and flag rules of Linux setxattr(2).
 *
 * <p>Not thread-safe: guarded by the monitor of the node that owns it.
 */
final class Xattrs {
    /** XATTR_NAME_MAX. */
    static final int NAME_MAX = 255;
    /** XATTR_SIZE_MAX. */
    static final int VALUE_MAX = 64 * 1024;

    // sorted, so listxattr is deterministic
    private final Map<String, byte[]> values = new TreeMap<>();

    /**
     * Without FUSE_POSIX_ACL the kernel forwards ACL xattrs to the provider as plain ones.
     * Storing them would be a lie (they would not change the mode or the checks), and tools
     * like {@code cp -a} set an ACL equivalent to the mode instead of chmod when it works.
     */
    private static final String ACL_PREFIX = "system.posix_acl_";

    /** Sets {@code name}, honouring XATTR_CREATE (EEXIST) and XATTR_REPLACE (ENODATA). */
    void set(String name, byte[] value, int flags) throws FsException {
        checkName(name);
        if (name.startsWith(ACL_PREFIX)) {
            throw FsException.of(Errno.EOPNOTSUPP);
        }
        if (value.length > VALUE_MAX) {
            throw FsException.of(Errno.E2BIG);
        }
        if ((flags & ~(FuseFilesystem.XATTR_CREATE | FuseFilesystem.XATTR_REPLACE)) != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        boolean exists = values.containsKey(name);
        if (exists && (flags & FuseFilesystem.XATTR_CREATE) != 0) {
            throw FsException.of(Errno.EEXIST);
        }
        if (!exists && (flags & FuseFilesystem.XATTR_REPLACE) != 0) {
            throw FsException.of(Errno.ENODATA);
        }
        values.put(name, value.clone());
    }

    /** The value of {@code name}; ENODATA if it is not set. */
    byte[] get(String name) throws FsException {
        checkName(name);
        byte[] value = values.get(name);
        if (value == null) {
            throw FsException.of(Errno.ENODATA);
        }
        return value.clone();
    }

    /** Every name followed by a NUL byte, the listxattr(2) format. */
    byte[] list() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : values.keySet()) {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** Removes {@code name}; ENODATA if it is not set. */
    void remove(String name) throws FsException {
        checkName(name);
        if (values.remove(name) == null) {
            throw FsException.of(Errno.ENODATA);
        }
    }

    private static void checkName(String name) throws FsException {
        int length = name.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > NAME_MAX) {
            throw FsException.of(Errno.ERANGE);
        }
    }
}

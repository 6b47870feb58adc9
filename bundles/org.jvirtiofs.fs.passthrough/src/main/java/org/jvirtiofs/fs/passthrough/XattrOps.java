package org.jvirtiofs.fs.passthrough;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Xattrs;

/**
 * Extended attributes. Regular files and directories are reopened (O_RDONLY) for the f*xattr
 * calls; other types (symlinks, devices, fifos, sockets) must not be opened, so the path forms
 * act on /proc/self/fd/N, which names the O_PATH fd's file itself and follows no further.
 * Names go through the share's {@link XattrMap} on the way in and back out of listxattr.
 */
final class XattrOps {
    private final SharedDir dir;

    XattrOps(SharedDir dir) {
        this.dir = dir;
    }

    private Inode inode(long nodeId) throws FsException {
        if (!dir.options.xattr()) {
            throw FsException.of(Errno.ENOSYS); // Linux stops asking and answers EOPNOTSUPP
        }
        return dir.inodes.get(nodeId);
    }

    private static boolean openable(Inode inode) {
        return inode.isRegularFile() || inode.isDirectory();
    }

    private int open(Inode inode) throws PosixException {
        return dir.inodes.reopen(inode, OpenFlags.O_RDONLY | OpenFlags.O_NONBLOCK);
    }

    void setxattr(long nodeId, String guestName, byte[] value, int flags)
            throws FsException, PosixException {
        Inode inode = inode(nodeId);
        dir.checkWritable();
        String name = dir.options.xattrMap().toHost(guestName);
        if (openable(inode)) {
            int fd = open(inode);
            try {
                Xattrs.fsetxattr(fd, name, value, flags);
            } finally {
                Descriptors.closeQuietly(fd);
            }
        } else {
            try (PathFd p = dir.inodes.path(inode)) {
                Xattrs.setxattr(Names.procFd(p.fd), name, value, flags, true);
            }
        }
    }

    byte[] getxattr(long nodeId, String guestName) throws FsException, PosixException {
        Inode inode = inode(nodeId);
        String name = dir.options.xattrMap().toHost(guestName);
        if (openable(inode)) {
            int fd = open(inode);
            try {
                return Xattrs.fgetxattr(fd, name);
            } finally {
                Descriptors.closeQuietly(fd);
            }
        }
        try (PathFd p = dir.inodes.path(inode)) {
            return Xattrs.getxattr(Names.procFd(p.fd), name, true);
        }
    }

    byte[] listxattr(long nodeId) throws FsException, PosixException {
        Inode inode = inode(nodeId);
        List<String> names;
        if (openable(inode)) {
            int fd = open(inode);
            try {
                names = Xattrs.flistxattr(fd);
            } finally {
                Descriptors.closeQuietly(fd);
            }
        } else {
            try (PathFd p = dir.inodes.path(inode)) {
                names = Xattrs.listxattr(Names.procFd(p.fd), true);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        XattrMap map = dir.options.xattrMap();
        for (String hostName : names) {
            String n = map.toGuest(hostName);
            if (n != null) {
                out.writeBytes(n.getBytes(StandardCharsets.UTF_8));
                out.write(0);
            }
        }
        return out.toByteArray();
    }

    void removexattr(long nodeId, String guestName) throws FsException, PosixException {
        Inode inode = inode(nodeId);
        dir.checkWritable();
        String name = dir.options.xattrMap().toHost(guestName);
        if (openable(inode)) {
            int fd = open(inode);
            try {
                Xattrs.fremovexattr(fd, name);
            } finally {
                Descriptors.closeQuietly(fd);
            }
        } else {
            try (PathFd p = dir.inodes.path(inode)) {
                Xattrs.removexattr(Names.procFd(p.fd), name, true);
            }
        }
    }
}

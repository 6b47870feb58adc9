package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;

/**
 * Operations on names: lookup, the creating calls (run as the guest's caller so new files get
 * its owner), removal, rename, hard links and symlinks. Every name is one component relative to
 * its parent's fd.
 */
final class NameOps {
    private static final int RENAME_FLAGS = FuseFilesystem.RENAME_NOREPLACE
            | FuseFilesystem.RENAME_EXCHANGE | FuseFilesystem.RENAME_WHITEOUT;

    private final SharedDir dir;

    NameOps(SharedDir dir) {
        this.dir = dir;
    }

    Entry lookup(long parent, FileName name) throws FsException, PosixException {
        return dir.lookup(dir.inodes.get(parent), name.toByteArray());
    }

    Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask)
            throws FsException, PosixException {
        Inode p = dir.inodes.get(parent);
        byte[] n = Names.component(name);
        try (PathFd at = dir.inodes.path(p); Credentials c = actAs(ctx)) {
            Fs.mknodat(at.fd, n, mode & ~(umask & 0777),
                    Stat.makedev(Attrs.major(rdev), Attrs.minor(rdev)));
        }
        return dir.lookup(p, n);
    }

    Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask)
            throws FsException, PosixException {
        Inode p = dir.inodes.get(parent);
        byte[] n = Names.component(name);
        try (PathFd at = dir.inodes.path(p); Credentials c = actAs(ctx)) {
            Fs.mkdirat(at.fd, n, mode & 07777 & ~(umask & 0777));
        }
        return dir.lookup(p, n);
    }

    Entry symlink(Context ctx, long parent, FileName name, byte[] target)
            throws FsException, PosixException {
        Inode p = dir.inodes.get(parent);
        byte[] n = Names.component(name);
        try (PathFd at = dir.inodes.path(p); Credentials c = actAs(ctx)) {
            Fs.symlinkat(target, at.fd, n);
        }
        return dir.lookup(p, n);
    }

    byte[] readlink(long nodeId) throws FsException, PosixException {
        Inode inode = dir.inodes.get(nodeId);
        if (!inode.isSymlink()) {
            throw FsException.of(Errno.EINVAL);
        }
        try (PathFd p = dir.inodes.path(inode)) {
            return Fs.readlinkat(p.fd, new byte[0]);
        }
    }

    void unlink(long parent, FileName name, boolean directory) throws FsException, PosixException {
        Inode p = dir.inodes.get(parent);
        byte[] n = Names.component(name);
        try (PathFd at = dir.inodes.path(p)) {
            Fs.unlinkat(at.fd, n, directory ? AtFlags.AT_REMOVEDIR : 0);
        }
    }

    void rename(long oldParent, FileName oldName, long newParent, FileName newName, int flags)
            throws FsException, PosixException {
        if ((flags & ~RENAME_FLAGS) != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        Inode from = dir.inodes.get(oldParent);
        Inode to = dir.inodes.get(newParent);
        byte[] o = Names.component(oldName);
        byte[] n = Names.component(newName);
        try (PathFd f = dir.inodes.path(from); PathFd t = dir.inodes.path(to)) {
            Fs.renameat2(f.fd, o, t.fd, n, flags);
        }
    }

    /**
     * A new name for a node the guest already holds, so it is inside the share: linkat with
     * AT_EMPTY_PATH on its fd, or through /proc/self/fd where that needs a capability we lack.
     */
    Entry link(long nodeId, long newParent, FileName newName) throws FsException, PosixException {
        Inode inode = dir.inodes.get(nodeId);
        Inode p = dir.inodes.get(newParent);
        byte[] n = Names.component(newName);
        try (PathFd src = dir.inodes.path(inode); PathFd at = dir.inodes.path(p)) {
            try {
                Fs.linkat(src.fd, "", at.fd, n, AtFlags.AT_EMPTY_PATH);
            } catch (PosixException e) {
                if (e.errno() != Errno.ENOENT || inode.isDirectory()) {
                    throw e;
                }
                Fs.linkat(AtFlags.AT_FDCWD, Names.procFd(src.fd), at.fd, n, AtFlags.AT_SYMLINK_FOLLOW);
            }
        }
        return dir.lookup(p, n);
    }

    private Credentials actAs(Context ctx) throws FsException {
        return Credentials.actAs(ctx, dir.options.uids(), dir.options.gids());
    }
}

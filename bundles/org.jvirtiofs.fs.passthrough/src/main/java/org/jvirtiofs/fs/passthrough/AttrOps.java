package org.jvirtiofs.fs.passthrough;

import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;

/** Attributes: getattr, setattr (chmod, chown, truncate, utimensat, kill-suidgid) and statfs. */
final class AttrOps {
    private final SharedDir dir;

    AttrOps(SharedDir dir) {
        this.dir = dir;
    }

    AttrReply getattr(long nodeId, OptionalLong handle) throws FsException, PosixException {
        Inode inode = dir.inodes.get(nodeId);
        if (handle.isPresent() && handle.getAsLong() != 0) {
            return dir.attrReply(Fs.fstat(dir.handles.file(handle.getAsLong()).fd()));
        }
        return dir.attrReply(dir.stat(inode));
    }

    AttrReply setattr(long nodeId, Attr attr, SetattrValid valid, OptionalLong handle)
            throws FsException, PosixException {
        dir.checkWritable();
        Inode inode = dir.inodes.get(nodeId);
        OpenFile open = valid.hasHandle() && handle.isPresent() && handle.getAsLong() != FileOps.NO_HANDLE
                ? dir.handles.file(handle.getAsLong()) : null;
        try (PathFd p = dir.inodes.path(inode)) {
            if (valid.hasMode()) {
                dir.confinement.chmod(p.fd, attr.mode() & 07777);
            }
            if (valid.hasUid() || valid.hasGid()) {
                int uid = valid.hasUid() ? dir.options.uids().toHost(attr.uid()) : -1;
                int gid = valid.hasGid() ? dir.options.gids().toHost(attr.gid()) : -1;
                Fs.fchownat(p.fd, "", uid, gid, AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
            }
            if (valid.hasSize()) {
                truncate(inode, open, attr.size());
            }
            if (valid.hasAtime() || valid.hasMtime()) {
                setTimes(p.fd, attr, valid);
            }
            if (valid.hasKillSuidgid() && inode.isRegularFile()) {
                killSuidgid(dir, p.fd);
            }
            return dir.attrReply(Fs.fstat(p.fd));
        }
    }

    private void truncate(Inode inode, OpenFile open, long size) throws PosixException {
        if (open != null && (open.flags() & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY) {
            Io.ftruncate(open.fd(), size);
            return;
        }
        int fd = dir.inodes.reopen(inode, OpenFlags.O_WRONLY | OpenFlags.O_NONBLOCK);
        try {
            Io.ftruncate(fd, size);
        } finally {
            Descriptors.closeQuietly(fd);
        }
    }

    private static void setTimes(int fd, Attr attr, SetattrValid valid) throws PosixException {
        long aSec = 0;
        long aNsec = AtFlags.UTIME_OMIT;
        long mSec = 0;
        long mNsec = AtFlags.UTIME_OMIT;
        if (valid.hasAtime()) {
            aSec = attr.atimeSec();
            aNsec = valid.hasAtimeNow() ? AtFlags.UTIME_NOW : attr.atimeNsec();
        }
        if (valid.hasMtime()) {
            mSec = attr.mtimeSec();
            mNsec = valid.hasMtimeNow() ? AtFlags.UTIME_NOW : attr.mtimeNsec();
        }
        Fs.utimensat(fd, "", aSec, aNsec, mSec, mNsec,
                AtFlags.AT_EMPTY_PATH | AtFlags.AT_SYMLINK_NOFOLLOW);
    }

    /**
     * Clears set-user-id, and set-group-id where group execute makes it one (without group
     * execute it marks mandatory locking), as the kernel does for an unprivileged writer.
     */
    static void killSuidgid(SharedDir dir, int pathFd) throws PosixException {
        int mode = Fs.fstat(pathFd).mode();
        int kill = FileMode.S_ISUID;
        if ((mode & 0010) != 0) {
            kill |= FileMode.S_ISGID;
        }
        if ((mode & kill) != 0) {
            dir.confinement.chmod(pathFd, mode & 07777 & ~kill);
        }
    }

    StatFs statfs(long nodeId) throws FsException, PosixException {
        try (PathFd p = dir.inodes.path(dir.inodes.get(nodeId))) {
            org.jvirtiofs.posix.StatFs s = Mounts.fstatfs(p.fd);
            return new StatFs(s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(),
                    (int) s.bsize(), (int) s.namelen(), (int) s.frsize());
        }
    }
}

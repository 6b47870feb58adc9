package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseConstants.FUSE_FSYNC_FDATASYNC;
import static org.jvirtiofs.fuse.FuseOpcode.*;

import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseFsyncIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseOpenIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseReadIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseReleaseIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseOpenOut;

/** Directory handles and listings: OPENDIR, READDIR, READDIRPLUS, RELEASEDIR, FSYNCDIR. */
final class DirOps {
    private final FuseFilesystem fs;

    DirOps(FuseFilesystem fs) {
        this.fs = fs;
    }

    void register(Op[] t) {
        t[FUSE_OPENDIR] = this::opendir;
        t[FUSE_READDIR] = this::readdir;
        t[FUSE_READDIRPLUS] = this::readdirplus;
        t[FUSE_RELEASEDIR] = this::releasedir;
        t[FUSE_FSYNCDIR] = this::fsyncdir;
    }

    private int opendir(FuseRequest r) throws FsException {
        FuseOpenIn in = FuseOpenIn.read(r.in);
        r.reserve(FuseOpenOut.SIZE);
        FuseOpenOut.encode(r.out, fs.opendir(r.ctx(), r.nodeId(), r.openFlags(in.flags())));
        return r.reply();
    }

    private int readdir(FuseRequest r) throws FsException {
        FuseReadIn in = FuseReadIn.read(r.in);
        r.reserve(0);
        int budget = budget(r, in);
        fs.readdir(r.ctx(), r.nodeId(), in.fh(), in.offset(), budget,
                new DirentSink(r.out, budget));
        return r.reply();
    }

    private int readdirplus(FuseRequest r) throws FsException {
        FuseReadIn in = FuseReadIn.read(r.in);
        r.reserve(0);
        int budget = budget(r, in);
        fs.readdirplus(r.ctx(), r.nodeId(), in.fh(), in.offset(), budget,
                new DirentplusSink(r.out, budget));
        return r.reply();
    }

    /** The listing's byte budget: the kernel's size, but never more than the room we have. */
    private static int budget(FuseRequest r, FuseReadIn in) {
        return (int) Math.min(Integer.toUnsignedLong(in.size()), r.out.remaining());
    }

    private int releasedir(FuseRequest r) throws FsException {
        FuseReleaseIn in = FuseReleaseIn.read(r.in);
        fs.releasedir(r.ctx(), r.nodeId(), in.fh(), r.openFlags(in.flags()));
        return r.replyEmpty();
    }

    private int fsyncdir(FuseRequest r) throws FsException {
        FuseFsyncIn in = FuseFsyncIn.read(r.in);
        fs.fsyncdir(r.ctx(), r.nodeId(), in.fh(), (in.fsyncFlags() & FUSE_FSYNC_FDATASYNC) != 0);
        return r.replyEmpty();
    }
}

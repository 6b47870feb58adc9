package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseAccessIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseGetattrIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseSetattrIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseAttrOut;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseStatfsOut;

/** Attributes and permissions: GETATTR, SETATTR, STATFS, ACCESS. */
final class AttrOps {
    private final FuseFilesystem fs;

    AttrOps(FuseFilesystem fs) {
        this.fs = fs;
    }

    void register(Op[] t) {
        t[FUSE_GETATTR] = this::getattr;
        t[FUSE_SETATTR] = this::setattr;
        t[FUSE_STATFS] = this::statfs;
        t[FUSE_ACCESS] = this::access;
    }

    private int getattr(FuseRequest r) throws FsException {
        FuseGetattrIn in = FuseGetattrIn.read(r.in);
        OptionalLong fh = r.optional((in.getattrFlags() & FuseConstants.FUSE_GETATTR_FH) != 0, in.fh());
        r.reserve(FuseAttrOut.SIZE);
        FuseAttrOut.encode(r.out, fs.getattr(r.ctx(), r.nodeId(), fh));
        return r.reply();
    }

    private int setattr(FuseRequest r) throws FsException {
        FuseSetattrIn in = FuseSetattrIn.read(r.in);
        // Only the fields `valid` names mean anything; the rest are zero or stale.
        Attr attr = new Attr(0, in.size(), 0, in.atime(), in.atimensec(), in.mtime(),
                in.mtimensec(), in.ctime(), in.ctimensec(), in.mode(), 0, in.uid(), in.gid(), 0,
                0, 0);
        SetattrValid valid = new SetattrValid(in.valid());
        OptionalLong fh = r.optional(valid.hasHandle(), in.fh());
        r.reserve(FuseAttrOut.SIZE);
        FuseAttrOut.encode(r.out, fs.setattr(r.ctx(), r.nodeId(), attr, valid, fh));
        return r.reply();
    }

    private int statfs(FuseRequest r) throws FsException {
        r.reserve(FuseStatfsOut.SIZE);
        FuseStatfsOut.encode(r.out, fs.statfs(r.ctx(), r.nodeId()));
        return r.reply();
    }

    private int access(FuseRequest r) throws FsException {
        FuseAccessIn in = FuseAccessIn.read(r.in);
        fs.access(r.ctx(), r.nodeId(), in.mask());
        return r.replyEmpty();
    }
}

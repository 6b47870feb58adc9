package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseGetxattrIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseSetxattrIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseGetxattrOut;

/**
 * Extended attributes. The size protocol of getxattr(2)/listxattr(2) lives here, so providers
 * just return whole values: size 0 asks for the length, a value longer than size is ERANGE.
 */
final class XattrOps {
    private final FuseFilesystem fs;

    XattrOps(FuseFilesystem fs) {
        this.fs = fs;
    }

    void register(Op[] t) {
        t[FUSE_SETXATTR] = this::setxattr;
        t[FUSE_GETXATTR] = this::getxattr;
        t[FUSE_LISTXATTR] = this::listxattr;
        t[FUSE_REMOVEXATTR] = this::removexattr;
    }

    private int setxattr(FuseRequest r) throws FsException {
        // The struct grows by 8 bytes once SETXATTR_EXT is accepted, and only then.
        boolean ext = r.negotiated.has(FuseConstants.FUSE_SETXATTR_EXT);
        FuseSetxattrIn in = FuseSetxattrIn.read(r.in, ext);
        String name = r.in.cStringUtf8();
        byte[] value = r.in.bytes(in.size());
        fs.setxattr(r.ctx(), r.nodeId(), name, value, in.flags(), in.setxattrFlags());
        return r.replyEmpty();
    }

    private int getxattr(FuseRequest r) throws FsException {
        FuseGetxattrIn in = FuseGetxattrIn.read(r.in);
        String name = r.in.cStringUtf8();
        return sized(r, in.size(), fs.getxattr(r.ctx(), r.nodeId(), name, in.size()));
    }

    private int listxattr(FuseRequest r) throws FsException {
        FuseGetxattrIn in = FuseGetxattrIn.read(r.in);
        return sized(r, in.size(), fs.listxattr(r.ctx(), r.nodeId(), in.size()));
    }

    private static int sized(FuseRequest r, int size, byte[] value) throws FsException {
        if (size == 0) {
            r.reserve(FuseGetxattrOut.SIZE);
            FuseGetxattrOut.encode(r.out, value.length);
            return r.reply();
        }
        r.reserve(0);
        if (Integer.compareUnsigned(value.length, size) > 0
                || value.length > r.out.remaining()) {
            throw FsException.of(Errno.ERANGE);
        }
        r.out.putBytes(value);
        return r.reply();
    }

    private int removexattr(FuseRequest r) throws FsException {
        fs.removexattr(r.ctx(), r.nodeId(), r.in.cStringUtf8());
        return r.replyEmpty();
    }
}

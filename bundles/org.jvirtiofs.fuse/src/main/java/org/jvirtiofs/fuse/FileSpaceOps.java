package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseCopyFileRangeIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseFallocateIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseLseekIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseSyncfsIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseLseekOut;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseWriteOut;

/**
 * Operations on a file's space and the whole filesystem: FALLOCATE, LSEEK, COPY_FILE_RANGE,
 * SYNCFS, and the two we refuse: IOCTL and POLL.
 */
final class FileSpaceOps {
    /** The most COPY_FILE_RANGE can report: fuse_write_out.size is 32 bits. */
    private static final long MAX_COPY = 0xFFFF_FFFFL;

    private final FuseFilesystem fs;

    FileSpaceOps(FuseFilesystem fs) {
        this.fs = fs;
    }

    void register(Op[] t) {
        t[FUSE_FALLOCATE] = this::fallocate;
        t[FUSE_LSEEK] = this::lseek;
        t[FUSE_COPY_FILE_RANGE] = this::copyFileRange;
        t[FUSE_SYNCFS] = this::syncfs;
        // ENOTTY is what ioctl(2) says for "not a device that takes this request".
        t[FUSE_IOCTL] = r -> {
            throw FsException.of(Errno.ENOTTY);
        };
        // ENOSYS makes the kernel stop asking and treat the file as always ready.
        t[FUSE_POLL] = r -> {
            throw FsException.of(Errno.ENOSYS);
        };
    }

    private int fallocate(FuseRequest r) throws FsException {
        FuseFallocateIn in = FuseFallocateIn.read(r.in);
        fs.fallocate(r.ctx(), r.nodeId(), in.fh(), in.mode(), in.offset(), in.length());
        return r.replyEmpty();
    }

    private int lseek(FuseRequest r) throws FsException {
        FuseLseekIn in = FuseLseekIn.read(r.in);
        r.reserve(FuseLseekOut.SIZE);
        FuseLseekOut.encode(r.out, fs.lseek(r.ctx(), r.nodeId(), in.fh(), in.offset(),
                in.whence()));
        return r.reply();
    }

    private int copyFileRange(FuseRequest r) throws FsException {
        FuseCopyFileRangeIn in = FuseCopyFileRangeIn.read(r.in);
        r.reserve(FuseWriteOut.SIZE);
        // Ask for no more than the reply can report, so nothing is copied unreported.
        long len = Long.compareUnsigned(in.len(), MAX_COPY) > 0 ? MAX_COPY : in.len();
        long n = fs.copyFileRange(r.ctx(), r.nodeId(), in.fhIn(), in.offIn(), in.nodeidOut(),
                in.fhOut(), in.offOut(), len, in.flags());
        if (n < 0 || n > len) {
            throw FsException.of(Errno.EIO);
        }
        FuseWriteOut.encode(r.out, (int) n);
        return r.reply();
    }

    private int syncfs(FuseRequest r) throws FsException {
        FuseSyncfsIn.read(r.in);
        fs.syncfs(r.ctx(), r.nodeId());
        return r.replyEmpty();
    }
}

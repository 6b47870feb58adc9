package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseConstants.*;
import static org.jvirtiofs.fuse.FuseOpcode.*;

import java.util.OptionalLong;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseCreateIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseFlushIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseFsyncIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseOpenIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseReadIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseReleaseIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseWriteIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseEntryOut;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseOpenOut;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseWriteOut;
import org.jvirtiofs.fuse.wire.SegmentZeroCopyReader;
import org.jvirtiofs.fuse.wire.SegmentZeroCopyWriter;

/**
 * Open files: OPEN, CREATE, TMPFILE, READ, WRITE, FLUSH, FSYNC, RELEASE. READ and WRITE data
 * never leaves the transport's memory: the provider gets views of it.
 */
final class FileOps {
    private final FuseFilesystem fs;
    private final ProtocolLog log;

    FileOps(FuseFilesystem fs, ProtocolLog log) {
        this.fs = fs;
        this.log = log;
    }

    void register(Op[] t) {
        t[FUSE_OPEN] = this::open;
        t[FUSE_CREATE] = this::create;
        t[FUSE_TMPFILE] = this::tmpfile;
        t[FUSE_READ] = this::read;
        t[FUSE_WRITE] = this::write;
        t[FUSE_FLUSH] = this::flush;
        t[FUSE_FSYNC] = this::fsync;
        t[FUSE_RELEASE] = this::release;
    }

    private int open(FuseRequest r) throws FsException {
        FuseOpenIn in = FuseOpenIn.read(r.in);
        boolean kill = (in.openFlags() & FUSE_OPEN_KILL_SUIDGID) != 0;
        r.reserve(FuseOpenOut.SIZE);
        FuseOpenOut.encode(r.out, fs.open(r.ctx(), r.nodeId(), r.openFlags(in.flags()), kill), withheld(r));
        return r.reply();
    }

    /**
     * The FOPEN_* bits a provider may not set on this session: with remote POSIX locks
     * (POSIX_LOCKS accepted) a process's close ends its locks only through FLUSH, which carries its
     * lock owner, so FLUSH is never turned off there (FOPEN_NOFLUSH).
     */
    private static int withheld(FuseRequest r) {
        return r.negotiated.has(FUSE_POSIX_LOCKS) ? OpenReply.FOPEN_NOFLUSH : 0;
    }

    private int create(FuseRequest r) throws FsException {
        FuseCreateIn in = FuseCreateIn.read(r.in);
        FileName name = r.in.name();
        boolean kill = (in.openFlags() & FUSE_OPEN_KILL_SUIDGID) != 0;
        r.reserve(FuseEntryOut.SIZE + FuseOpenOut.SIZE);
        return created(r, fs.create(r.ctx(), r.nodeId(), name, in.mode(),
                r.openFlags(in.flags()), in.umask(), kill), withheld(r));
    }

    private int tmpfile(FuseRequest r) throws FsException {
        // The kernel sends fuse_create_in and the placeholder name "/", which means nothing.
        FuseCreateIn in = FuseCreateIn.read(r.in);
        r.reserve(FuseEntryOut.SIZE + FuseOpenOut.SIZE);
        return created(r, fs.tmpfile(r.ctx(), r.nodeId(), in.mode(), r.openFlags(in.flags()),
                in.umask()), withheld(r));
    }

    private static int created(FuseRequest r, CreateReply c, int withheld) {
        FuseEntryOut.encode(r.out, c.entry());
        FuseOpenOut.encode(r.out, c.open(), withheld);
        return r.reply();
    }

    private int read(FuseRequest r) throws FsException {
        FuseReadIn in = FuseReadIn.read(r.in);
        OptionalLong owner = r.optional((in.readFlags() & FUSE_READ_LOCKOWNER) != 0, in.lockOwner());
        r.reserve(0);
        // Never more than the transport gave us room for, whatever the kernel asked.
        int size = (int) Math.min(Integer.toUnsignedLong(in.size()), r.out.remaining());
        SegmentZeroCopyWriter dst = r.out.data(size);
        int n = fs.read(r.ctx(), r.nodeId(), in.fh(), dst, size, in.offset(), owner,
                r.openFlags(in.flags()));
        if (n != dst.committed()) {
            log.misuse("read returned " + n + " but committed " + dst.committed()
                    + "; the committed bytes are sent");
        }
        return r.reply();
    }

    private int write(FuseRequest r) throws FsException {
        FuseWriteIn in = FuseWriteIn.read(r.in);
        if (Integer.compareUnsigned(in.size(), r.negotiated.maxWrite()) > 0) {
            throw FsException.of(Errno.EINVAL);
        }
        SegmentZeroCopyReader src = r.in.payload(in.size());
        OptionalLong owner = r.optional((in.writeFlags() & FuseFilesystem.FUSE_WRITE_LOCKOWNER) != 0, in.lockOwner());
        r.reserve(FuseWriteOut.SIZE);
        int n = fs.write(r.ctx(), r.nodeId(), in.fh(), src, in.size(), in.offset(), owner,
                r.openFlags(in.flags()), in.writeFlags());
        if (n < 0 || n > in.size()) {
            log.misuse("write returned " + n + " for " + in.size() + " bytes; replying EIO");
            throw FsException.of(Errno.EIO);
        }
        FuseWriteOut.encode(r.out, n);
        return r.reply();
    }

    private int flush(FuseRequest r) throws FsException {
        FuseFlushIn in = FuseFlushIn.read(r.in);
        fs.flush(r.ctx(), r.nodeId(), in.fh(), in.lockOwner());
        return r.replyEmpty();
    }

    private int fsync(FuseRequest r) throws FsException {
        FuseFsyncIn in = FuseFsyncIn.read(r.in);
        fs.fsync(r.ctx(), r.nodeId(), in.fh(), (in.fsyncFlags() & FUSE_FSYNC_FDATASYNC) != 0);
        return r.replyEmpty();
    }

    private int release(FuseRequest r) throws FsException {
        FuseReleaseIn in = FuseReleaseIn.read(r.in);
        fs.release(r.ctx(), r.nodeId(), in.fh(), r.openFlags(in.flags()),
                (in.releaseFlags() & FUSE_RELEASE_FLUSH) != 0,
                (in.releaseFlags() & FUSE_RELEASE_FLOCK_UNLOCK) != 0, in.lockOwner());
        return r.replyEmpty();
    }
}

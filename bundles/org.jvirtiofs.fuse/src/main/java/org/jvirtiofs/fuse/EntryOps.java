package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.ForgetOne;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseBatchForgetIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseForgetIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseForgetOne;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseLinkIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseMkdirIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseMknodIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseRename2In;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseRenameIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseEntryOut;

/** The namespace: LOOKUP and FORGET, creating, linking, renaming and removing names. */
final class EntryOps {
    private static final int RENAME_FLAGS = FuseFilesystem.RENAME_NOREPLACE
            | FuseFilesystem.RENAME_EXCHANGE | FuseFilesystem.RENAME_WHITEOUT;

    private final FuseFilesystem fs;
    private final ProtocolLog log;

    EntryOps(FuseFilesystem fs, ProtocolLog log) {
        this.fs = fs;
        this.log = log;
    }

    void register(Op[] t) {
        t[FUSE_LOOKUP] = this::lookup;
        t[FUSE_FORGET] = this::forget;
        t[FUSE_BATCH_FORGET] = this::batchForget;
        t[FUSE_MKNOD] = this::mknod;
        t[FUSE_MKDIR] = this::mkdir;
        t[FUSE_SYMLINK] = this::symlink;
        t[FUSE_LINK] = this::link;
        t[FUSE_UNLINK] = this::unlink;
        t[FUSE_RMDIR] = this::rmdir;
        t[FUSE_RENAME] = this::rename;
        t[FUSE_RENAME2] = this::rename2;
        t[FUSE_READLINK] = this::readlink;
    }

    /** Encodes an entry the provider returned; the space was reserved before the call. */
    static int entry(FuseRequest r, Entry e) {
        FuseEntryOut.encode(r.out, e);
        return r.reply();
    }

    private int lookup(FuseRequest r) throws FsException {
        FileName name = r.in.name();
        r.reserve(FuseEntryOut.SIZE);
        return entry(r, fs.lookup(r.ctx(), r.nodeId(), name));
    }

    private int forget(FuseRequest r) throws FsException {
        FuseForgetIn in = FuseForgetIn.read(r.in);
        fs.forget(r.ctx(), r.nodeId(), in.nlookup());
        return 0;
    }

    private int batchForget(FuseRequest r) throws FsException {
        int count = FuseBatchForgetIn.read(r.in).count();
        if (count < 0 || count > r.in.remaining() / FuseForgetOne.SIZE) {
            // A count we cannot trust: forgetting too much would free live nodes, so forget none.
            log.badRequest("BATCH_FORGET count " + Integer.toUnsignedString(count)
                    + " exceeds its payload", FUSE_BATCH_FORGET, r.header.unique());
            return 0;
        }
        List<ForgetOne> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            FuseForgetOne one = FuseForgetOne.read(r.in);
            list.add(new ForgetOne(one.nodeId(), one.nlookup()));
        }
        fs.batchForget(r.ctx(), list);
        return 0;
    }

    private int mknod(FuseRequest r) throws FsException {
        FuseMknodIn in = FuseMknodIn.read(r.in);
        FileName name = r.in.name();
        r.reserve(FuseEntryOut.SIZE);
        return entry(r, fs.mknod(r.ctx(), r.nodeId(), name, in.mode(), in.rdev(), in.umask()));
    }

    private int mkdir(FuseRequest r) throws FsException {
        FuseMkdirIn in = FuseMkdirIn.read(r.in);
        FileName name = r.in.name();
        r.reserve(FuseEntryOut.SIZE);
        return entry(r, fs.mkdir(r.ctx(), r.nodeId(), name, in.mode(), in.umask()));
    }

    private int symlink(FuseRequest r) throws FsException {
        FileName name = r.in.name();
        byte[] target = r.in.cString();
        r.reserve(FuseEntryOut.SIZE);
        return entry(r, fs.symlink(r.ctx(), r.nodeId(), name, target));
    }

    private int link(FuseRequest r) throws FsException {
        FuseLinkIn in = FuseLinkIn.read(r.in);
        FileName name = r.in.name();
        r.reserve(FuseEntryOut.SIZE);
        return entry(r, fs.link(r.ctx(), in.oldnodeid(), r.nodeId(), name));
    }

    private int unlink(FuseRequest r) throws FsException {
        fs.unlink(r.ctx(), r.nodeId(), r.in.name());
        return r.replyEmpty();
    }

    private int rmdir(FuseRequest r) throws FsException {
        fs.rmdir(r.ctx(), r.nodeId(), r.in.name());
        return r.replyEmpty();
    }

    private int rename(FuseRequest r) throws FsException {
        FuseRenameIn in = FuseRenameIn.read(r.in);
        FileName oldName = r.in.name();
        FileName newName = r.in.name();
        fs.rename(r.ctx(), r.nodeId(), oldName, in.newdir(), newName, 0);
        return r.replyEmpty();
    }

    private int rename2(FuseRequest r) throws FsException {
        FuseRename2In in = FuseRename2In.read(r.in);
        FileName oldName = r.in.name();
        FileName newName = r.in.name();
        if ((in.flags() & ~RENAME_FLAGS) != 0) {
            throw FsException.of(Errno.EINVAL); // as renameat2(2) says of unknown flags
        }
        fs.rename(r.ctx(), r.nodeId(), oldName, in.newdir(), newName, in.flags());
        return r.replyEmpty();
    }

    private int readlink(FuseRequest r) throws FsException {
        byte[] target = fs.readlink(r.ctx(), r.nodeId());
        r.reserve(0);
        if (target.length > r.out.remaining()) {
            throw FsException.of(Errno.ERANGE);
        }
        r.out.putBytes(target);
        return r.reply();
    }
}

package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseInterruptIn;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseLkIn;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseLkOut;

/**
 * Remote locks (POSIX_LOCKS, FLOCK_LOCKS): GETLK, SETLK, SETLKW, and INTERRUPT, which only a
 * waiting lock heeds: a SETLKW waits registered in {@link WaitingRequests}, so an INTERRUPT for it
 * interrupts its thread. Any other request's reply comes promptly and is the kernel's answer.
 */
final class LockOps {
    private final FuseFilesystem fs;
    private final WaitingRequests waiting;

    LockOps(FuseFilesystem fs, WaitingRequests waiting) {
        this.fs = fs;
        this.waiting = waiting;
    }

    void register(Op[] t) {
        t[FUSE_GETLK] = this::getlk;
        t[FUSE_SETLK] = r -> setlk(r, false);
        t[FUSE_SETLKW] = r -> setlk(r, true);
        t[FUSE_INTERRUPT] = this::interrupt;
    }

    /** No reply: the interrupted request's own reply is the answer. */
    private int interrupt(FuseRequest r) throws FsException {
        waiting.interrupt(FuseInterruptIn.read(r.in).unique());
        return 0;
    }

    private int getlk(FuseRequest r) throws FsException {
        FuseLkIn in = FuseLkIn.read(r.in);
        r.reserve(FuseLkOut.SIZE);
        FuseLkOut.encode(r.out, fs.getlk(r.ctx(), r.nodeId(), in.fh(), in.owner(), in.lk()));
        return r.reply();
    }

    private int setlk(FuseRequest r, boolean sleep) throws FsException {
        FuseLkIn in = FuseLkIn.read(r.in);
        boolean flock = (in.lkFlags() & FuseConstants.FUSE_LK_FLOCK) != 0;
        if (!sleep) {
            fs.setlk(r.ctx(), r.nodeId(), in.fh(), in.owner(), in.lk(), flock, false);
            return r.replyEmpty();
        }
        WaitingRequests.Waiter w = waiting.begin(r.unique());
        try {
            fs.setlk(r.ctx(), r.nodeId(), in.fh(), in.owner(), in.lk(), flock, true);
        } finally {
            waiting.end(w);
        }
        return r.replyEmpty();
    }
}

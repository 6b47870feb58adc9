package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.ThisProcess;

/**
 * Acting as the guest's caller while creating a file, so the new file gets the caller's owner
 * and group (mapped to host ids): this thread's fsuid and fsgid are switched for the call and
 * restored on close. Only root may switch; otherwise files belong to the daemon's user.
 */
final class Credentials implements AutoCloseable {
    private static final Credentials NONE = new Credentials(-1, -1);
    private static final boolean CAN_SWITCH = ThisProcess.geteuid() == 0;

    private final int oldUid;
    private final int oldGid;

    private Credentials(int oldUid, int oldGid) {
        this.oldUid = oldUid;
        this.oldGid = oldGid;
    }

    /**
     * Switches this thread to the caller's mapped ids, unless they are already ours.
     *
     * @throws FsException EPERM if the caller's uid or gid is forbidden
     */
    static Credentials actAs(Context ctx, IdMap uids, IdMap gids) throws FsException {
        int uid = uids.toHost(ctx.uid());
        int gid = gids.toHost(ctx.gid());
        if (!CAN_SWITCH || (uid == 0 && gid == 0)) {
            return NONE; // the daemon's own ids: nothing to switch (the common root guest case)
        }
        // group first: once the fsuid is not 0, changing the fsgid would need CAP_SETGID
        int oldGid = ThisProcess.setfsgid(gid);
        int oldUid = ThisProcess.setfsuid(uid);
        return new Credentials(oldUid, oldGid);
    }

    @Override
    public void close() {
        if (this != NONE) {
            ThisProcess.setfsuid(oldUid);
            ThisProcess.setfsgid(oldGid);
        }
    }
}

package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.R_OK;
import static org.jvirtiofs.api.FuseFilesystem.W_OK;
import static org.jvirtiofs.api.FuseFilesystem.X_OK;

import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * access(2): the caller against a node's permission bits.
 *
 * <p>Only ACCESS asks: virtiofs mounts check permissions in the guest (default_permissions), so
 * the provider does not repeat the check on every operation. The context carries one group, the
 * caller's fsgid; supplementary groups are unknown here, so a caller who is in the file's group
 * only through them gets the "other" bits.
 */
final class Access {
    private static final int ANY_EXECUTE = 0111;

    private Access() {
    }

    /** EACCES unless {@code ctx} may do all of {@code mask} (F_OK: only that the node exists). */
    static void check(Context ctx, Attr attr, int mask) throws FsException {
        if ((mask & ~(R_OK | W_OK | X_OK)) != 0) {
            throw FsException.of(Errno.EINVAL);
        }
        int mode = attr.mode();
        if (ctx.uid() == 0) {
            // root may read and write anything, but execute only what someone may execute
            if ((mask & X_OK) != 0 && !attr.isDirectory() && (mode & ANY_EXECUTE) == 0) {
                throw FsException.of(Errno.EACCES);
            }
            return;
        }
        int granted;
        if (ctx.uid() == attr.uid()) {
            granted = mode >>> 6;
        } else if (ctx.gid() == attr.gid()) {
            granted = mode >>> 3;
        } else {
            granted = mode;
        }
        if ((mask & ~granted & 7) != 0) {
            throw FsException.of(Errno.EACCES);
        }
    }
}

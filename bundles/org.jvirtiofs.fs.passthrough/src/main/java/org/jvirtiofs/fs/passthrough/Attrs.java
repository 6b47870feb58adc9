package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.Attr;
import org.jvirtiofs.posix.Stat;

/** Host file status as the guest sees it: ids translated back, device numbers re-encoded. */
final class Attrs {
    private final IdMap uids;
    private final IdMap gids;

    Attrs(IdMap uids, IdMap gids) {
        this.uids = uids;
        this.gids = gids;
    }

    /** The attributes of {@code st} with FUSE_ATTR_* {@code flags}. */
    Attr of(Stat st, int flags) {
        return new Attr(st.ino(), st.size(), st.blocks(), st.atimeSec(), st.atimeNsec(),
                st.mtimeSec(), st.mtimeNsec(), st.ctimeSec(), st.ctimeNsec(), st.mode(),
                st.nlink(), uids.toGuest(st.uid()), gids.toGuest(st.gid()),
                linuxDev(st.rdevMajor(), st.rdevMinor()), st.blksize(), flags);
    }

    /** The kernel's 32-bit new_encode_dev: what fuse_attr.rdev carries. */
    static int linuxDev(int major, int minor) {
        return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
    }

    /** The major number of a 32-bit kernel dev_t, as mknod sends it. */
    static int major(int dev) {
        return (dev >>> 8) & 0xfff;
    }

    /** The minor number of a 32-bit kernel dev_t. */
    static int minor(int dev) {
        return (dev & 0xff) | ((dev >>> 12) & 0xfff00);
    }
}

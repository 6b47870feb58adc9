package org.jvirtiofs.fuse.wire;

import java.time.Duration;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.StatFs;

/**
 * The reply structs, one encoder per {@code struct fuse_*_out} of fuse.h (7.37), writing the C
 * layout field by field into a {@link ReplyWriter}.
 */
public final class FuseOutArgs {
    private FuseOutArgs() {
    }

    /** {@code fuse_attr}: 88 bytes. */
    public static final class FuseAttr {
        public static final int SIZE = 88;

        private FuseAttr() {
        }

        public static void encode(ReplyWriter w, Attr a) {
            w.putLong(a.ino());
            w.putLong(a.size());
            w.putLong(a.blocks());
            w.putLong(a.atimeSec());
            w.putLong(a.mtimeSec());
            w.putLong(a.ctimeSec());
            w.putInt(a.atimeNsec());
            w.putInt(a.mtimeNsec());
            w.putInt(a.ctimeNsec());
            w.putInt(a.mode());
            w.putInt(a.nlink());
            w.putInt(a.uid());
            w.putInt(a.gid());
            w.putInt(a.rdev());
            w.putInt(a.blksize());
            w.putInt(a.flags());
        }
    }

    /** {@code fuse_entry_out}: 128 bytes. */
    public static final class FuseEntryOut {
        public static final int SIZE = 40 + FuseAttr.SIZE;

        private FuseEntryOut() {
        }

        public static void encode(ReplyWriter w, Entry e) {
            w.putLong(e.nodeId());
            w.putLong(e.generation());
            w.putLong(seconds(e.entryTimeout()));
            w.putLong(seconds(e.attrTimeout()));
            w.putInt(e.entryTimeout().getNano());
            w.putInt(e.attrTimeout().getNano());
            FuseAttr.encode(w, e.attr());
        }
    }

    /** {@code fuse_attr_out}: 104 bytes. */
    public static final class FuseAttrOut {
        public static final int SIZE = 16 + FuseAttr.SIZE;

        private FuseAttrOut() {
        }

        public static void encode(ReplyWriter w, AttrReply a) {
            w.putLong(seconds(a.timeout()));
            w.putInt(a.timeout().getNano());
            w.putInt(0);
            FuseAttr.encode(w, a.attr());
        }
    }

    /** {@code fuse_open_out}: 16 bytes. */
    public static final class FuseOpenOut {
        public static final int SIZE = 16;

        private FuseOpenOut() {
        }

        public static void encode(ReplyWriter w, OpenReply o) {
            encode(w, o, 0);
        }

        /** As {@link #encode(ReplyWriter, OpenReply)}, without the FOPEN_* bits in {@code cleared}. */
        public static void encode(ReplyWriter w, OpenReply o, int cleared) {
            w.putLong(o.handle());
            w.putInt(o.flags() & ~cleared);
            w.putInt(0);
        }
    }

    /** {@code fuse_write_out}: 8 bytes; also COPY_FILE_RANGE's reply. */
    public static final class FuseWriteOut {
        public static final int SIZE = 8;

        private FuseWriteOut() {
        }

        public static void encode(ReplyWriter w, int size) {
            w.putInt(size);
            w.putInt(0);
        }
    }

    /** {@code fuse_statfs_out}, i.e. {@code fuse_kstatfs}: 80 bytes. */
    public static final class FuseStatfsOut {
        public static final int SIZE = 80;

        private FuseStatfsOut() {
        }

        public static void encode(ReplyWriter w, StatFs s) {
            w.putLong(s.blocks());
            w.putLong(s.bfree());
            w.putLong(s.bavail());
            w.putLong(s.files());
            w.putLong(s.ffree());
            w.putInt(s.bsize());
            w.putInt(s.namelen());
            w.putInt(s.frsize());
            w.putZeros(4 + 24); // padding, spare[6]
        }
    }

    /** {@code fuse_getxattr_out}: the size a GETXATTR/LISTXATTR of size 0 asks for. */
    public static final class FuseGetxattrOut {
        public static final int SIZE = 8;

        private FuseGetxattrOut() {
        }

        public static void encode(ReplyWriter w, int size) {
            w.putInt(size);
            w.putInt(0);
        }
    }

    /** {@code fuse_lk_out}: one {@code fuse_file_lock}, 24 bytes. */
    public static final class FuseLkOut {
        public static final int SIZE = 24;

        private FuseLkOut() {
        }

        public static void encode(ReplyWriter w, FileLock lk) {
            w.putLong(lk.start());
            w.putLong(lk.end());
            w.putInt(lk.type());
            w.putInt(lk.pid());
        }
    }

    /** {@code fuse_lseek_out}: 8 bytes. */
    public static final class FuseLseekOut {
        public static final int SIZE = 8;

        private FuseLseekOut() {
        }

        public static void encode(ReplyWriter w, long offset) {
            w.putLong(offset);
        }
    }

    /** {@code fuse_dirent}: 24 bytes plus the name, padded to 8. */
    public static final class FuseDirent {
        public static final int NAME_OFFSET = 24;

        private FuseDirent() {
        }

        /** FUSE_DIRENT_SIZE for a name of {@code nameLen} bytes. */
        public static int size(int nameLen) {
            return align8(NAME_OFFSET + nameLen);
        }

        public static void encode(ReplyWriter w, DirEntry d) {
            int n = d.name().length();
            w.putLong(d.ino());
            w.putLong(d.nextOffset());
            w.putInt(n);
            w.putInt(d.type());
            w.putName(d.name());
            w.putZeros(size(n) - NAME_OFFSET - n);
        }
    }

    /** {@code fuse_direntplus}: a fuse_entry_out then a fuse_dirent, padded to 8. */
    public static final class FuseDirentplus {
        private FuseDirentplus() {
        }

        /** FUSE_DIRENTPLUS_SIZE for a name of {@code nameLen} bytes. */
        public static int size(int nameLen) {
            return FuseEntryOut.SIZE + FuseDirent.size(nameLen);
        }

        public static void encode(ReplyWriter w, DirEntry d, Entry e) {
            FuseEntryOut.encode(w, e);
            FuseDirent.encode(w, d);
        }
    }

    /** FUSE_DIRENT_ALIGN. */
    static int align8(int n) {
        return (n + 7) & ~7;
    }

    private static long seconds(Duration d) {
        return d.getSeconds();
    }
}

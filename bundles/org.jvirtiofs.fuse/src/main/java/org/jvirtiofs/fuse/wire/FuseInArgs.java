package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FsException;

/**
 * The fixed argument structs of requests, one record per {@code struct fuse_*_in} of fuse.h
 * (7.37), each decoded from a {@link RequestReader} with its C field offsets.
 */
public final class FuseInArgs {
    private FuseInArgs() {
    }

    /** {@code fuse_init_in}: 64 bytes since 7.36 (flags2), 16 before. */
    public record FuseInitIn(int major, int minor, int maxReadahead, long flags) {
        public static final int SIZE = 64;
        public static final int COMPAT_SIZE = 16;

        public static FuseInitIn read(RequestReader r) throws FsException {
            boolean extended = r.remaining() >= SIZE;
            ByteBuffer b = r.struct(extended ? SIZE : COMPAT_SIZE);
            long flags = Integer.toUnsignedLong(b.getInt(12));
            // flags2 means something only if the kernel says so with INIT_EXT
            if (extended && (flags & (1L << 30)) != 0) {
                flags |= Integer.toUnsignedLong(b.getInt(16)) << 32;
            }
            return new FuseInitIn(b.getInt(0), b.getInt(4), b.getInt(8), flags);
        }
    }

    /** {@code fuse_forget_in}. */
    public record FuseForgetIn(long nlookup) {
        public static FuseForgetIn read(RequestReader r) throws FsException {
            return new FuseForgetIn(r.struct(8).getLong(0));
        }
    }

    /** {@code fuse_batch_forget_in}: the count of fuse_forget_one records that follow. */
    public record FuseBatchForgetIn(int count) {
        public static FuseBatchForgetIn read(RequestReader r) throws FsException {
            return new FuseBatchForgetIn(r.struct(8).getInt(0));
        }
    }

    /** {@code fuse_forget_one}. */
    public record FuseForgetOne(long nodeId, long nlookup) {
        public static final int SIZE = 16;

        public static FuseForgetOne read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(SIZE);
            return new FuseForgetOne(b.getLong(0), b.getLong(8));
        }
    }

    /** {@code fuse_getattr_in}. */
    public record FuseGetattrIn(int getattrFlags, long fh) {
        public static FuseGetattrIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(16);
            return new FuseGetattrIn(b.getInt(0), b.getLong(8));
        }
    }

    /** {@code fuse_setattr_in}: 88 bytes. */
    public record FuseSetattrIn(int valid, long fh, long size, long lockOwner, long atime,
            long mtime, long ctime, int atimensec, int mtimensec, int ctimensec, int mode,
            int uid, int gid) {
        public static FuseSetattrIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(88);
            return new FuseSetattrIn(b.getInt(0), b.getLong(8), b.getLong(16), b.getLong(24),
                    b.getLong(32), b.getLong(40), b.getLong(48), b.getInt(56), b.getInt(60),
                    b.getInt(64), b.getInt(68), b.getInt(76), b.getInt(80));
        }
    }

    /** {@code fuse_mknod_in}. */
    public record FuseMknodIn(int mode, int rdev, int umask) {
        public static FuseMknodIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(16);
            return new FuseMknodIn(b.getInt(0), b.getInt(4), b.getInt(8));
        }
    }

    /** {@code fuse_mkdir_in}. */
    public record FuseMkdirIn(int mode, int umask) {
        public static FuseMkdirIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(8);
            return new FuseMkdirIn(b.getInt(0), b.getInt(4));
        }
    }

    /** {@code fuse_rename_in}. */
    public record FuseRenameIn(long newdir) {
        public static FuseRenameIn read(RequestReader r) throws FsException {
            return new FuseRenameIn(r.struct(8).getLong(0));
        }
    }

    /** {@code fuse_rename2_in}. */
    public record FuseRename2In(long newdir, int flags) {
        public static FuseRename2In read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(16);
            return new FuseRename2In(b.getLong(0), b.getInt(8));
        }
    }

    /** {@code fuse_link_in}. */
    public record FuseLinkIn(long oldnodeid) {
        public static FuseLinkIn read(RequestReader r) throws FsException {
            return new FuseLinkIn(r.struct(8).getLong(0));
        }
    }

    /** {@code fuse_open_in}: open(2) flags and FUSE_OPEN_* flags. */
    public record FuseOpenIn(int flags, int openFlags) {
        public static FuseOpenIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(8);
            return new FuseOpenIn(b.getInt(0), b.getInt(4));
        }
    }

    /** {@code fuse_create_in}. */
    public record FuseCreateIn(int flags, int mode, int umask, int openFlags) {
        public static FuseCreateIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(16);
            return new FuseCreateIn(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12));
        }
    }

    /** {@code fuse_release_in}. */
    public record FuseReleaseIn(long fh, int flags, int releaseFlags, long lockOwner) {
        public static FuseReleaseIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(24);
            return new FuseReleaseIn(b.getLong(0), b.getInt(8), b.getInt(12), b.getLong(16));
        }
    }

    /** {@code fuse_flush_in}. */
    public record FuseFlushIn(long fh, long lockOwner) {
        public static FuseFlushIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(24);
            return new FuseFlushIn(b.getLong(0), b.getLong(16));
        }
    }

    /** {@code fuse_read_in}: also the READDIR and READDIRPLUS arguments. */
    public record FuseReadIn(long fh, long offset, int size, int readFlags, long lockOwner,
            int flags) {
        public static FuseReadIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(40);
            return new FuseReadIn(b.getLong(0), b.getLong(8), b.getInt(16), b.getInt(20),
                    b.getLong(24), b.getInt(32));
        }
    }

    /** {@code fuse_write_in}: the payload follows it. */
    public record FuseWriteIn(long fh, long offset, int size, int writeFlags, long lockOwner,
            int flags) {
        public static FuseWriteIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(40);
            return new FuseWriteIn(b.getLong(0), b.getLong(8), b.getInt(16), b.getInt(20),
                    b.getLong(24), b.getInt(32));
        }
    }

    /** {@code fuse_fsync_in}. */
    public record FuseFsyncIn(long fh, int fsyncFlags) {
        public static FuseFsyncIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(16);
            return new FuseFsyncIn(b.getLong(0), b.getInt(8));
        }
    }

    /** {@code fuse_setxattr_in}: 8 bytes, or 16 with setxattr_flags once SETXATTR_EXT is on. */
    public record FuseSetxattrIn(int size, int flags, int setxattrFlags) {
        public static FuseSetxattrIn read(RequestReader r, boolean ext) throws FsException {
            ByteBuffer b = r.struct(ext ? 16 : 8);
            return new FuseSetxattrIn(b.getInt(0), b.getInt(4), ext ? b.getInt(8) : 0);
        }
    }

    /** {@code fuse_getxattr_in}: also LISTXATTR's argument. */
    public record FuseGetxattrIn(int size) {
        public static FuseGetxattrIn read(RequestReader r) throws FsException {
            return new FuseGetxattrIn(r.struct(8).getInt(0));
        }
    }

    /** {@code fuse_lk_in}, with its {@code fuse_file_lock}. */
    public record FuseLkIn(long fh, long owner, FileLock lk, int lkFlags) {
        public static FuseLkIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(48);
            FileLock lk = new FileLock(b.getLong(16), b.getLong(24), b.getInt(32), b.getInt(36));
            return new FuseLkIn(b.getLong(0), b.getLong(8), lk, b.getInt(40));
        }
    }

    /** {@code fuse_access_in}. */
    public record FuseAccessIn(int mask) {
        public static FuseAccessIn read(RequestReader r) throws FsException {
            return new FuseAccessIn(r.struct(8).getInt(0));
        }
    }

    /** {@code fuse_interrupt_in}. */
    public record FuseInterruptIn(long unique) {
        public static FuseInterruptIn read(RequestReader r) throws FsException {
            return new FuseInterruptIn(r.struct(8).getLong(0));
        }
    }

    /** {@code fuse_fallocate_in}. */
    public record FuseFallocateIn(long fh, long offset, long length, int mode) {
        public static FuseFallocateIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(32);
            return new FuseFallocateIn(b.getLong(0), b.getLong(8), b.getLong(16), b.getInt(24));
        }
    }

    /** {@code fuse_lseek_in}. */
    public record FuseLseekIn(long fh, long offset, int whence) {
        public static FuseLseekIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(24);
            return new FuseLseekIn(b.getLong(0), b.getLong(8), b.getInt(16));
        }
    }

    /** {@code fuse_copy_file_range_in}. */
    public record FuseCopyFileRangeIn(long fhIn, long offIn, long nodeidOut, long fhOut,
            long offOut, long len, long flags) {
        public static FuseCopyFileRangeIn read(RequestReader r) throws FsException {
            ByteBuffer b = r.struct(56);
            return new FuseCopyFileRangeIn(b.getLong(0), b.getLong(8), b.getLong(16),
                    b.getLong(24), b.getLong(32), b.getLong(40), b.getLong(48));
        }
    }

    /** {@code fuse_syncfs_in}: only padding, read to check the request is whole. */
    public record FuseSyncfsIn() {
        public static FuseSyncfsIn read(RequestReader r) throws FsException {
            r.skip(8);
            return new FuseSyncfsIn();
        }
    }
}

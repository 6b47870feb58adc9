package org.jvirtiofs.share;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.ForgetOne;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.SetattrValid;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filesystem a share's FUSE session serves: every request goes through the
 * {@link ProviderGate} to whichever provider is current, so the share can replace the provider
 * between two requests while the session (and the guest's mount) stays.
 *
 * <p>It also remembers what INIT agreed, to initialise a replacement the same way, and keeps the
 * FORGETs that arrive while no provider is admitted, for the next one: FORGET has no reply, so it
 * must never wait or be lost.
 */
final class SwitchableFilesystem implements FuseFilesystem {
    private static final Logger LOG = LoggerFactory.getLogger(SwitchableFilesystem.class);

    private final ProviderGate gate;
    private final List<ForgetOne> pendingForgets = new ArrayList<>(); // guarded by itself
    private volatile Set<FsCapability> agreed;

    SwitchableFilesystem(ProviderGate gate) {
        this.gate = gate;
    }

    /**
     * Makes {@code next} the provider: initialised with what the guest agreed to if it is mounted,
     * given the FORGETs that came meanwhile, then admitted.
     */
    void resume(FuseFilesystem next) throws FsException {
        Set<FsCapability> features = agreed;
        if (features != null) {
            Set<FsCapability> accepted = next.init(features);
            if (!accepted.containsAll(features)) {
                LOG.warn("the new provider does not take every feature the guest mounted with: {} of {}",
                        accepted, features);
            }
        }
        List<ForgetOne> forgets;
        synchronized (pendingForgets) {
            forgets = List.copyOf(pendingForgets);
            pendingForgets.clear();
        }
        if (!forgets.isEmpty()) {
            next.batchForget(Context.KERNEL, forgets);
        }
        gate.open(next);
    }

    /** Whether INIT succeeded and no DESTROY followed. */
    boolean mounted() {
        return agreed != null;
    }

    @Override
    public Set<FsCapability> init(Set<FsCapability> offered) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            Set<FsCapability> accepted = fs.init(offered);
            agreed = Set.copyOf(accepted);
            return accepted;
        } finally {
            gate.exit();
        }
    }

    @Override
    public void destroy() {
        agreed = null;
        FuseFilesystem fs = gate.tryEnter();
        if (fs == null) {
            synchronized (pendingForgets) {
                pendingForgets.clear(); // the guest is gone: nothing it held matters
            }
            return;
        }
        try {
            fs.destroy();
        } finally {
            gate.exit();
        }
    }

    /** The share closes providers itself; closing the session's view closes nothing. */
    @Override
    public void close() {
    }

    @Override
    public void forget(Context ctx, long nodeId, long nlookup) {
        FuseFilesystem fs = gate.tryEnter();
        if (fs == null) {
            synchronized (pendingForgets) {
                pendingForgets.add(new ForgetOne(nodeId, nlookup));
            }
            return;
        }
        try {
            fs.forget(ctx, nodeId, nlookup);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void batchForget(Context ctx, List<ForgetOne> forgets) {
        FuseFilesystem fs = gate.tryEnter();
        if (fs == null) {
            synchronized (pendingForgets) {
                pendingForgets.addAll(forgets);
            }
            return;
        }
        try {
            fs.batchForget(ctx, forgets);
        } finally {
            gate.exit();
        }
    }

    @Override
    public Entry lookup(Context ctx, long parent, FileName name) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.lookup(ctx, parent, name);
        } finally {
            gate.exit();
        }
    }

    @Override
    public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.getattr(ctx, nodeId, handle);
        } finally {
            gate.exit();
        }
    }

    @Override
    public AttrReply setattr(Context ctx, long nodeId, Attr attr, SetattrValid valid, OptionalLong handle) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.setattr(ctx, nodeId, attr, valid, handle);
        } finally {
            gate.exit();
        }
    }

    @Override
    public byte[] readlink(Context ctx, long nodeId) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.readlink(ctx, nodeId);
        } finally {
            gate.exit();
        }
    }

    @Override
    public Entry symlink(Context ctx, long parent, FileName name, byte[] target) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.symlink(ctx, parent, name, target);
        } finally {
            gate.exit();
        }
    }

    @Override
    public Entry mknod(Context ctx, long parent, FileName name, int mode, int rdev, int umask) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.mknod(ctx, parent, name, mode, rdev, umask);
        } finally {
            gate.exit();
        }
    }

    @Override
    public Entry mkdir(Context ctx, long parent, FileName name, int mode, int umask) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.mkdir(ctx, parent, name, mode, umask);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void unlink(Context ctx, long parent, FileName name) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.unlink(ctx, parent, name);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void rmdir(Context ctx, long parent, FileName name) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.rmdir(ctx, parent, name);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void rename(Context ctx, long oldParent, FileName oldName, long newParent, FileName newName, int flags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.rename(ctx, oldParent, oldName, newParent, newName, flags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public Entry link(Context ctx, long nodeId, long newParent, FileName newName) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.link(ctx, nodeId, newParent, newName);
        } finally {
            gate.exit();
        }
    }

    @Override
    public OpenReply open(Context ctx, long nodeId, OpenFlags flags, boolean killSuidgid) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.open(ctx, nodeId, flags, killSuidgid);
        } finally {
            gate.exit();
        }
    }

    @Override
    public CreateReply create(Context ctx, long parent, FileName name, int mode, OpenFlags flags, int umask, boolean killSuidgid) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.create(ctx, parent, name, mode, flags, umask, killSuidgid);
        } finally {
            gate.exit();
        }
    }

    @Override
    public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size, long offset, OptionalLong lockOwner, OpenFlags flags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.read(ctx, nodeId, handle, dst, size, offset, lockOwner, flags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size, long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.write(ctx, nodeId, handle, src, size, offset, lockOwner, flags, writeFlags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void flush(Context ctx, long nodeId, long handle, long lockOwner) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.flush(ctx, nodeId, handle, lockOwner);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void fsync(Context ctx, long nodeId, long handle, boolean datasync) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.fsync(ctx, nodeId, handle, datasync);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void release(Context ctx, long nodeId, long handle, OpenFlags flags, boolean flush, boolean flockRelease, long lockOwner) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.release(ctx, nodeId, handle, flags, flush, flockRelease, lockOwner);
        } finally {
            gate.exit();
        }
    }

    @Override
    public StatFs statfs(Context ctx, long nodeId) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.statfs(ctx, nodeId);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void setxattr(Context ctx, long nodeId, String name, byte[] value, int flags, int extFlags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.setxattr(ctx, nodeId, name, value, flags, extFlags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public byte[] getxattr(Context ctx, long nodeId, String name, int size) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.getxattr(ctx, nodeId, name, size);
        } finally {
            gate.exit();
        }
    }

    @Override
    public byte[] listxattr(Context ctx, long nodeId, int size) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.listxattr(ctx, nodeId, size);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void removexattr(Context ctx, long nodeId, String name) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.removexattr(ctx, nodeId, name);
        } finally {
            gate.exit();
        }
    }

    @Override
    public OpenReply opendir(Context ctx, long nodeId, OpenFlags flags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.opendir(ctx, nodeId, flags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void readdir(Context ctx, long nodeId, long handle, long offset, int size, DirEntrySink sink) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.readdir(ctx, nodeId, handle, offset, size, sink);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void readdirplus(Context ctx, long nodeId, long handle, long offset, int size, DirEntryPlusSink sink) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.readdirplus(ctx, nodeId, handle, offset, size, sink);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void releasedir(Context ctx, long nodeId, long handle, OpenFlags flags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.releasedir(ctx, nodeId, handle, flags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void fsyncdir(Context ctx, long nodeId, long handle, boolean datasync) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.fsyncdir(ctx, nodeId, handle, datasync);
        } finally {
            gate.exit();
        }
    }

    @Override
    public FileLock getlk(Context ctx, long nodeId, long handle, long owner, FileLock lock) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.getlk(ctx, nodeId, handle, owner, lock);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void setlk(Context ctx, long nodeId, long handle, long owner, FileLock lock, boolean flock, boolean sleep) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.setlk(ctx, nodeId, handle, owner, lock, flock, sleep);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void access(Context ctx, long nodeId, int mask) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.access(ctx, nodeId, mask);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void fallocate(Context ctx, long nodeId, long handle, int mode, long offset, long length) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.fallocate(ctx, nodeId, handle, mode, offset, length);
        } finally {
            gate.exit();
        }
    }

    @Override
    public long lseek(Context ctx, long nodeId, long handle, long offset, int whence) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.lseek(ctx, nodeId, handle, offset, whence);
        } finally {
            gate.exit();
        }
    }

    @Override
    public long copyFileRange(Context ctx, long nodeIn, long handleIn, long offsetIn, long nodeOut, long handleOut, long offsetOut, long length, long flags) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.copyFileRange(ctx, nodeIn, handleIn, offsetIn, nodeOut, handleOut, offsetOut, length, flags);
        } finally {
            gate.exit();
        }
    }

    @Override
    public void syncfs(Context ctx, long nodeId) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            fs.syncfs(ctx, nodeId);
        } finally {
            gate.exit();
        }
    }

    @Override
    public CreateReply tmpfile(Context ctx, long parent, int mode, OpenFlags flags, int umask) throws FsException {
        FuseFilesystem fs = gate.enter();
        try {
            return fs.tmpfile(ctx, parent, mode, flags, umask);
        } finally {
            gate.exit();
        }
    }
}

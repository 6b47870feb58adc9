package org.jvirtiofs.devfuse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A provider mounted on the host: /dev/fuse opened, mount(2) done, reader threads serving the
 * kernel's requests through a {@link FuseSession}. {@link #close()} unmounts and stops them.
 */
public final class FuseMount implements AutoCloseable {
    /** The filesystem type in /proc/mounts: how a stale mount of ours is recognised. */
    public static final String FS_TYPE = "fuse.jvirtiofs";

    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
    private static final long STOP_WAIT_SECONDS = 10;
    /** Waiting requests served at once; more wait for a waiter thread in turn. */
    private static final int MAX_WAITERS = 64;

    private final Path mountpoint;
    private final int devFd;
    private final FuseSession session;
    private final List<Thread> readers = new ArrayList<>();
    /** Threads for requests that may wait for later ones (see {@link DevFuseReader}). */
    private final ThreadPoolExecutor waiters;
    private final CountDownLatch stopped;
    private volatile boolean closing;

    private FuseMount(Path mountpoint, int devFd, FuseSession session, int readerCount) {
        this.mountpoint = mountpoint;
        this.devFd = devFd;
        this.session = session;
        this.stopped = new CountDownLatch(readerCount);
        AtomicInteger n = new AtomicInteger();
        this.waiters = new ThreadPoolExecutor(MAX_WAITERS, MAX_WAITERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, "devfuse-" + mountpoint.getFileName() + "-waiter-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        waiters.allowCoreThreadTimeOut(true);
    }

    /**
     * Mounts {@code fs} at {@code mountpoint} (an existing directory). A stale mount of ours
     * left there by a daemon that died is detached first.
     *
     * @throws IOException with the reason when /dev/fuse or mount(2) refuses
     */
    public static FuseMount mount(Path mountpoint, FuseFilesystem fs, MountOptions options,
            SessionOptions sessionOptions) throws IOException {
        return mount(mountpoint, new FuseSession(fs, sessionOptions), options);
    }

    /**
     * Mounts a session built by the caller (e.g. with a request observer, or over a provider the
     * caller swaps), at {@code mountpoint}.
     *
     * @throws IOException with the reason when /dev/fuse or mount(2) refuses
     */
    public static FuseMount mount(Path mountpoint, FuseSession session, MountOptions options) throws IOException {
        Path target = mountpoint.toAbsolutePath().normalize();
        int fd = -1;
        try {
            StaleMounts.detach(target, FS_TYPE);
            if (!Files.isDirectory(target)) {
                throw new IOException("mountpoint is not a directory: " + target);
            }
            fd = Fs.openat(AtFlags.AT_FDCWD, "/dev/fuse", OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
            Mounts.mount(options.source(), target.toString(), FS_TYPE, mountFlags(options),
                    mountData(fd, options));
        } catch (PosixException e) {
            closeQuietly(fd);
            throw new IOException("cannot mount " + target + ": " + e.getMessage(), e);
        }
        FuseMount mount = new FuseMount(target, fd, session, options.readers());
        mount.startReaders(options.readers(), session.options().maxWrite());
        LOG.info("mounted at {} with {} reader(s)", target, options.readers());
        return mount;
    }

    /** Mounts with the default session options. */
    public static FuseMount mount(Path mountpoint, FuseFilesystem fs, MountOptions options) throws IOException {
        return mount(mountpoint, fs, options, SessionOptions.defaults());
    }

    /** Where it is mounted. */
    public Path mountpoint() {
        return mountpoint;
    }

    /** Whether the kernel still talks to us (false once unmounted from outside, too). */
    public boolean isServing() {
        return stopped.getCount() > 0;
    }

    /**
     * Unmounts (lazily when busy, so open files keep working until closed) and waits for the
     * readers to see the connection end.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        try {
            Mounts.umount2(mountpoint.toString(), 0);
        } catch (PosixException e) {
            if (e.errno() == Errno.EBUSY) {
                LOG.warn("{} is busy: detaching it; it goes away when the last user leaves", mountpoint);
                detachQuietly();
            } else if (e.errno() != Errno.EINVAL) { // EINVAL: already unmounted
                LOG.warn("unmounting {}: {}", mountpoint, e.getMessage());
            }
        }
        try {
            if (!stopped.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("{}: readers still busy {} s after unmount", mountpoint, STOP_WAIT_SECONDS);
                return; // the fd stays open for them; they end with the connection
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        closeQuietly(devFd);
        LOG.info("unmounted {}", mountpoint);
    }

    private void startReaders(int count, int maxWrite) {
        // the kernel refuses reads into buffers smaller than a full WRITE plus its headers
        int bufferSize = maxWrite + 4096 * 2;
        for (int i = 0; i < count; i++) {
            DevFuseReader reader = new DevFuseReader(devFd, session, bufferSize, mountpoint.toString(), waiters);
            Thread t = new Thread(() -> {
                try {
                    reader.run();
                } finally {
                    readerEnded();
                }
            }, "devfuse-" + mountpoint.getFileName() + "-" + i);
            t.setDaemon(true); // a hung kernel request must not keep the JVM alive
            readers.add(t);
            t.start();
        }
    }

    private synchronized void readerEnded() {
        if (stopped.getCount() == 1) {
            // the last reader: the connection is gone and no DESTROY comes over /dev/fuse, so
            // end the session here, before close() (waiting on the latch) may return; waiting
            // locks end with EINTR first, as nobody waits for them now: those running when their
            // thread is interrupted, those not yet started here, interrupted from the start
            List<Runnable> queued = waiters.shutdownNow();
            Thread.currentThread().interrupt();
            queued.forEach(Runnable::run);
            Thread.interrupted();
            session.destroy();
            if (!closing) {
                LOG.info("{} was unmounted from outside", mountpoint);
            }
        }
        stopped.countDown();
    }

    private void detachQuietly() {
        try {
            Mounts.umount2(mountpoint.toString(), MountFlags.MNT_DETACH);
        } catch (PosixException e) {
            LOG.warn("detaching {}: {}", mountpoint, e.getMessage());
        }
    }

    private static long mountFlags(MountOptions options) {
        long flags = MountFlags.MS_NOSUID | MountFlags.MS_NODEV;
        return options.readOnly() ? flags | MountFlags.MS_RDONLY : flags;
    }

    private static String mountData(int fd, MountOptions options) {
        StringBuilder data = new StringBuilder()
                .append("fd=").append(fd)
                .append(",rootmode=40000") // octal S_IFDIR: the root is a directory
                .append(",user_id=").append(org.jvirtiofs.posix.ThisProcess.geteuid())
                .append(",group_id=").append(org.jvirtiofs.posix.ThisProcess.getegid());
        if (options.allowOther()) {
            data.append(",allow_other");
        }
        if (options.defaultPermissions()) {
            data.append(",default_permissions");
        }
        return data.toString();
    }

    private static void closeQuietly(int fd) {
        Io.closeQuietly(fd);
    }
}

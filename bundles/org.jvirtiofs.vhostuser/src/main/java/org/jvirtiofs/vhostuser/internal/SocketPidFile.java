package org.jvirtiofs.vhostuser.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.LockFlags;
import org.jvirtiofs.posix.Locks;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.ThisProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PATH.pid} beside a listening socket, holding the serving process's pid and locked
 * (flock) while it serves there, as the Rust virtiofsd keeps one. A second backend given the same
 * path stops with a clear line instead of replacing the first one's live socket: QEMU would then
 * reach the second, and the first, on its way out, would remove the second's socket.
 */
public final class SocketPidFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SocketPidFile.class);

    private final String path;
    private final int fd;

    private SocketPidFile(String path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Locks {@code socketPath + ".pid"} for this process; null (with a warning) if the file
     * cannot be made, when nothing guards the path.
     *
     * @throws IOException naming the process that serves the socket, if one does
     */
    public static SocketPidFile lock(String socketPath) throws IOException {
        String path = socketPath + ".pid";
        int fd;
        try {
            fd = Fs.openat(AtFlags.AT_FDCWD, path, OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_CLOEXEC, 0644);
        } catch (PosixException e) {
            LOG.warn("{}: {}; nothing stops a second daemon from taking over {}", path, e.getMessage(), socketPath);
            return null;
        }
        try {
            Locks.flock(fd, LockFlags.LOCK_EX | LockFlags.LOCK_NB);
        } catch (PosixException e) {
            String holder = e.errno() == Errno.EWOULDBLOCK ? holder(fd) : null;
            Io.closeQuietly(fd);
            if (holder == null) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
            throw new IOException("another daemon" + holder + " serves it (it holds " + path
                    + "): stop that one first, or use another socket path");
        }
        try {
            Io.ftruncate(fd, 0);
            byte[] pid = (ThisProcess.getpid() + "\n").getBytes(StandardCharsets.US_ASCII);
            Io.pwrite(fd, ByteBuffer.allocateDirect(pid.length).put(pid).flip(), 0);
        } catch (PosixException | RuntimeException e) {
            LOG.debug("{}: cannot write the pid: {}", path, e.getMessage());
        }
        return new SocketPidFile(path, fd);
    }

    /** " (pid N)" as the file says, or "" if it says nothing readable. */
    private static String holder(int fd) {
        ByteBuffer b = ByteBuffer.allocateDirect(32);
        try {
            Io.pread(fd, b, 0);
        } catch (PosixException e) {
            return "";
        }
        byte[] read = new byte[b.flip().remaining()];
        b.get(read);
        String text = new String(read, StandardCharsets.US_ASCII).trim();
        return text.matches("\\d{1,10}") ? " (pid " + text + ")" : "";
    }

    /** Removes the file, then lets the lock go. */
    @Override
    public void close() {
        try {
            Fs.unlinkat(AtFlags.AT_FDCWD, path, 0);
        } catch (PosixException e) {
            LOG.debug("cannot remove {}: {}", path, e.getMessage());
        }
        Io.closeQuietly(fd);
    }
}

package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.PosixCalls;
import org.jvirtiofs.posix.jnr.Scratch;

/**
 * Unix-domain sockets as raw fds: socketpair, listen/accept/connect by path, and
 * sendmsg/recvmsg passing descriptors with SCM_RIGHTS (as vhost-user needs).
 */
public final class Sockets {
    private static final int SUN_PATH_OFFSET = 2;
    private static final int SUN_PATH_SIZE = 108;

    private Sockets() {
    }

    /** socketpair(2): two connected sockets. */
    public static int[] socketpair(int domain, int type, int protocol) throws PosixException {
        int[] fds = new int[2];
        if (PosixCalls.socketpair(domain, type, protocol, fds) < 0) {
            throw Native.error("socketpair", null);
        }
        return fds;
    }

    /** socket(2): e.g. {@code socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)}. */
    public static int socket(int domain, int type, int protocol) throws PosixException {
        int fd = Native.early().socket(domain, type, protocol);
        if (fd < 0) {
            throw Native.error("socket", null);
        }
        return fd;
    }

    /** bind(2) of an AF_UNIX socket to a filesystem path (at most 107 bytes). */
    public static void bind(int fd, String path) throws PosixException {
        Scratch scratch = Scratch.get();
        int length = sockaddrUn(scratch, path);
        if (Native.early().bind(fd, scratch.structAddress(0), length) < 0) {
            throw Native.error("bind", path);
        }
    }

    /** listen(2). */
    public static void listen(int fd, int backlog) throws PosixException {
        if (Native.early().listen(fd, backlog) < 0) {
            throw Native.error("listen", fd);
        }
    }

    /** accept4(2) with SOCK_CLOEXEC/SOCK_NONBLOCK flags: the connected fd. */
    public static int accept4(int fd, int flags) throws PosixException {
        int connection = Native.early().accept4(fd, 0L, 0L, flags);
        if (connection < 0) {
            throw Native.error("accept4", fd);
        }
        return connection;
    }

    /** connect(2) of an AF_UNIX socket to a filesystem path. */
    public static void connect(int fd, String path) throws PosixException {
        Scratch scratch = Scratch.get();
        int length = sockaddrUn(scratch, path);
        if (Native.libc().connect(fd, scratch.structAddress(0), length) < 0) {
            throw Native.error("connect", path);
        }
    }

    /** Lays out a struct sockaddr_un for {@code path}; returns the address length to pass. */
    private static int sockaddrUn(Scratch scratch, String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SUN_PATH_SIZE) {
            throw new IllegalArgumentException("unix socket path longer than 107 bytes: " + path);
        }
        ByteBuffer addr = scratch.struct(SUN_PATH_OFFSET + SUN_PATH_SIZE);
        addr.putShort(0, (short) SocketFlags.AF_UNIX).put(SUN_PATH_OFFSET, bytes);
        return SUN_PATH_OFFSET + bytes.length + 1;
    }

    /**
     * sendmsg(2) of the direct buffers' remaining bytes, with {@code fds} as SCM_RIGHTS when not
     * empty: returns the count sent and advances positions.
     */
    public static int sendmsg(int fd, ByteBuffer[] data, int[] fds, int flags) throws PosixException {
        int n = PosixCalls.sendmsg(fd, data, fds, flags);
        if (n < 0) {
            throw Native.error("sendmsg", fd);
        }
        Io.advance(data, n);
        return n;
    }

    /**
     * recvmsg(2) into the direct buffers with control space for {@code maxFds} descriptors
     * (rounded up to an even count by alignment; pass MSG_CMSG_CLOEXEC to get them
     * close-on-exec); advances positions. Every fd received is the caller's to close.
     */
    public static Received recvmsg(int fd, ByteBuffer[] data, int maxFds, int flags) throws PosixException {
        int[] fds = new int[maxFds + 2];
        int[] msgFlags = new int[1];
        int n = PosixCalls.recvmsg(fd, data, maxFds, flags, fds, msgFlags);
        if (n < 0) {
            throw Native.error("recvmsg", fd);
        }
        Io.advance(data, n);
        return new Received(n, Arrays.copyOfRange(fds, 1, 1 + fds[0]), msgFlags[0]);
    }
}

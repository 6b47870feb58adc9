package org.jvirtiofs.posix.jnr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.constants.platform.Fcntl;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.posix.POSIX;

/**
 * The calls taken from jnr-posix, with its types kept in here. Each returns the raw C result;
 * on -1 the caller reads {@link Native#errno()} at once, on the same thread.
 */
public final class PosixCalls {
    private static final int SOL_SOCKET = 1;
    private static final int SCM_RIGHTS = 1;
    private static final POSIX POSIX = Native.posix();

    private PosixCalls() {
    }

    public static int close(int fd) {
        return POSIX.close(fd);
    }

    public static int dup(int fd) {
        return POSIX.dup(fd);
    }

    public static int getpid() {
        return POSIX.getpid();
    }

    /** geteuid(2): cannot fail. */
    public static int geteuid() {
        return POSIX.geteuid();
    }

    /** getegid(2): cannot fail. */
    public static int getegid() {
        return POSIX.getegid();
    }

    /** Reads at the buffer's position (jnr-posix passes a direct buffer's address from there). */
    public static long pread(int fd, ByteBuffer direct, long offset) {
        return POSIX.pread(fd, direct, direct.remaining(), offset);
    }

    /** Writes from the buffer's position, without moving it. */
    public static long pwrite(int fd, ByteBuffer direct, long offset) {
        return POSIX.pwrite(fd, direct, direct.remaining(), offset);
    }

    public static int fsync(int fd) {
        return POSIX.fsync(fd);
    }

    public static int fdatasync(int fd) {
        return POSIX.fdatasync(fd);
    }

    public static int ftruncate(int fd, long length) {
        return POSIX.ftruncate(fd, length);
    }

    public static int flock(int fd, int operation) {
        return POSIX.flock(fd, operation);
    }

    public static int fchmod(int fd, int mode) {
        return POSIX.fchmod(fd, mode);
    }

    public static int fchown(int fd, int uid, int gid) {
        return POSIX.fchown(fd, uid, gid);
    }

    /** fcntl with an int argument; commands jnr-constants does not know go to libc directly. */
    public static int fcntl(int fd, int cmd, int arg) {
        Fcntl known = Fcntl.valueOf(cmd);
        if (known.defined() && known.intValue() == cmd) {
            return POSIX.fcntlInt(fd, known, arg);
        }
        return Native.libc().fcntl(fd, cmd, arg);
    }

    public static int socketpair(int domain, int type, int protocol, int[] fds) {
        return POSIX.socketpair(domain, type, protocol, fds);
    }

    /** sendmsg with the buffers' remaining bytes as iovecs and the fds as one SCM_RIGHTS message. */
    public static int sendmsg(int socket, ByteBuffer[] data, int[] fds, int flags) {
        MsgHdr message = POSIX.allocateMsgHdr();
        message.setIov(slices(data));
        if (fds.length > 0) {
            CmsgHdr control = message.allocateControl(fds.length * Integer.BYTES);
            control.setLevel(SOL_SOCKET);
            control.setType(SCM_RIGHTS);
            ByteBuffer payload = ByteBuffer.allocate(fds.length * Integer.BYTES).order(ByteOrder.nativeOrder());
            for (int fd : fds) {
                payload.putInt(fd);
            }
            payload.flip();
            control.setData(payload);
        }
        return POSIX.sendmsg(socket, message, flags);
    }

    /**
     * recvmsg into the buffers' remaining bytes with room for {@code maxFds} descriptors (the
     * kernel may deliver up to one more, as control space is 8-byte aligned: size {@code fdsOut}
     * to {@code maxFds + 2}). Writes the fds into {@code fdsOut[1..]}, their count into {@code fdsOut[0]},
     * and returns the byte count, or -1; {@code flagsOut[0]} gets msg_flags.
     */
    public static int recvmsg(int socket, ByteBuffer[] data, int maxFds, int flags, int[] fdsOut, int[] flagsOut) {
        MsgHdr message = POSIX.allocateMsgHdr();
        message.setIov(slices(data));
        if (maxFds > 0) {
            message.allocateControl(maxFds * Integer.BYTES);
        }
        int received = POSIX.recvmsg(socket, message, flags);
        if (received < 0) {
            return received;
        }
        flagsOut[0] = message.getFlags();
        int count = 0;
        for (CmsgHdr control : maxFds > 0 ? message.getControls() : new CmsgHdr[0]) {
            ByteBuffer payload = control.getLevel() == SOL_SOCKET && control.getType() == SCM_RIGHTS
                    ? control.getData() : null;
            if (payload == null) {
                continue;
            }
            payload.order(ByteOrder.nativeOrder());
            while (payload.remaining() >= Integer.BYTES) {
                int fd = payload.getInt();
                if (count + 1 < fdsOut.length) {
                    fdsOut[++count] = fd;
                } else {
                    POSIX.close(fd); // no room to hand it over: never leak a received fd
                }
            }
        }
        fdsOut[0] = count;
        return received;
    }

    /** Zero-copy views from each position: jnr-posix's iovec takes a buffer's base address. */
    private static ByteBuffer[] slices(ByteBuffer[] data) {
        ByteBuffer[] slices = new ByteBuffer[data.length];
        for (int i = 0; i < data.length; i++) {
            slices[i] = Native.requireDirect(data[i]).slice();
        }
        return slices;
    }
}

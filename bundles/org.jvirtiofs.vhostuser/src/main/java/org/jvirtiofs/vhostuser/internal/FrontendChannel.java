package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Received;
import org.jvirtiofs.posix.SocketFlags;
import org.jvirtiofs.posix.Sockets;

/**
 * The connected vhost-user socket: reads framed messages with their SCM_RIGHTS fds and writes
 * replies. Every wait also watches a stop eventfd, so the backend can stop a stalled frontend.
 */
public final class FrontendChannel implements AutoCloseable {
    private static final int[] NO_FDS = new int[0];

    private final int fd;
    private final ByteBuffer header = ByteBuffer.allocateDirect(VhostUser.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final PollSet poll;

    /** Owns {@code fd} from now on; {@code stopFd} stays the caller's. */
    public FrontendChannel(int fd, int stopFd) {
        this.fd = fd;
        this.poll = new PollSet(fd, stopFd);
    }

    /** The next message, or null when the frontend closed the connection between messages. */
    public Message read() throws ProtocolException, PosixException, StoppedException {
        header.clear();
        int[] fds = NO_FDS;
        while (header.hasRemaining()) {
            awaitReadable();
            Received received = Sockets.recvmsg(fd, new ByteBuffer[] {header}, VhostUser.MAX_FDS,
                    SocketFlags.MSG_CMSG_CLOEXEC);
            fds = append(fds, received.fds());
            if (received.fdsTruncated() || fds.length > VhostUser.MAX_FDS) {
                closeAll(fds);
                throw new ProtocolException("more than " + VhostUser.MAX_FDS + " fds with one message");
            }
            if (received.bytes() == 0) {
                closeAll(fds);
                if (header.position() == 0 && fds.length == 0) {
                    return null;
                }
                throw new ProtocolException("connection closed inside a message header");
            }
        }
        try {
            return readBody(fds);
        } catch (ProtocolException | PosixException | StoppedException | RuntimeException e) {
            closeAll(fds);
            throw e;
        }
    }

    private Message readBody(int[] fds) throws ProtocolException, PosixException, StoppedException {
        int request = header.getInt(0);
        int flags = header.getInt(4);
        int size = header.getInt(8);
        if ((flags & VhostUser.VHOST_USER_VERSION_MASK) != VhostUser.VHOST_USER_VERSION
                || (flags & VhostUser.VHOST_USER_REPLY_MASK) != 0) {
            throw new ProtocolException("bad header flags 0x" + Integer.toHexString(flags)
                    + " on " + VhostUser.name(request));
        }
        if (size < 0 || size > VhostUser.MAX_PAYLOAD_SIZE) {
            throw new ProtocolException(VhostUser.name(request) + " announces a payload of "
                    + Integer.toUnsignedString(size) + " bytes");
        }
        ByteBuffer payload = ByteBuffer.allocateDirect(size);
        while (payload.hasRemaining()) {
            awaitReadable();
            if (Io.read(fd, payload) == 0) {
                throw new ProtocolException("connection closed inside a " + VhostUser.name(request) + " payload");
            }
        }
        return new Message(request, flags, payload.clear(), fds);
    }

    /** Sends a reply: the same request code, flags exactly 0x5, and the payload's remaining bytes. */
    public void reply(int request, ByteBuffer payload) throws PosixException {
        ByteBuffer message = ByteBuffer.allocateDirect(VhostUser.HEADER_SIZE + payload.remaining())
                .order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(request).putInt(VhostUser.REPLY_FLAGS).putInt(payload.remaining()).put(payload).flip();
        while (message.hasRemaining()) {
            Sockets.sendmsg(fd, new ByteBuffer[] {message}, NO_FDS, SocketFlags.MSG_NOSIGNAL);
        }
    }

    /** Replies with one u64 (features, counts, or a REPLY_ACK status: 0 = success). */
    public void replyU64(int request, long value) throws PosixException {
        reply(request, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    /** Blocks until the socket is readable (or hung up, which reads as EOF); throws when stopping. */
    private void awaitReadable() throws PosixException, StoppedException {
        poll.await(-1);
        if (poll.readable(1)) {
            throw new StoppedException();
        }
    }

    private static int[] append(int[] fds, int[] more) {
        if (more.length == 0) {
            return fds;
        }
        int[] all = Arrays.copyOf(fds, fds.length + more.length);
        System.arraycopy(more, 0, all, fds.length, more.length);
        return all;
    }

    private static void closeAll(int[] fds) {
        for (int received : fds) {
            Message.closeQuietly(received);
        }
    }

    @Override
    public void close() {
        Message.closeQuietly(fd);
    }

    /** The backend is stopping: the connection ends without an error. */
    public static final class StoppedException extends Exception {
        private static final long serialVersionUID = 1L;

        StoppedException() {
            super("stopping", null, false, false);
        }
    }
}

package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.posix.Io;

/**
 * One received vhost-user message: header fields, the little-endian payload and the fds that
 * came with it. Handlers {@link #takeFd take} the fds they keep; the rest are closed after handling.
 */
public final class Message {
    private final int request;
    private final int flags;
    private final ByteBuffer payload;
    private final int[] fds;

    Message(int request, int flags, ByteBuffer payload, int[] fds) {
        this.request = request;
        this.flags = flags;
        this.payload = payload.order(ByteOrder.LITTLE_ENDIAN);
        this.fds = fds;
    }

    public int request() {
        return request;
    }

    public boolean needReply() {
        return (flags & VhostUser.VHOST_USER_NEED_REPLY_MASK) != 0;
    }

    public int size() {
        return payload.capacity();
    }

    public int fdCount() {
        return fds.length;
    }

    /** Checks the payload size fixed for this message type. */
    public Message expectSize(int expected) throws ProtocolException {
        if (size() != expected) {
            throw new ProtocolException(VhostUser.name(request) + " with a payload of " + size()
                    + " bytes, expected " + expected);
        }
        return this;
    }

    public long u64(int offset) {
        return payload.getLong(offset);
    }

    public int u32(int offset) {
        return payload.getInt(offset);
    }

    /** Takes ownership of fd {@code i}: it will not be closed with the message. */
    public int takeFd(int i) {
        int fd = fds[i];
        fds[i] = -1;
        return fd;
    }

    /** Closes the fds no handler took. */
    public void closeUntakenFds() {
        for (int i = 0; i < fds.length; i++) {
            closeQuietly(takeFd(i));
        }
    }

    /** Closes an fd we own, ignoring -1 and errors (the fd is released either way on Linux). */
    public static void closeQuietly(int fd) {
        Io.closeQuietly(fd);
    }
}

package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PollFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.SocketFlags;
import org.jvirtiofs.posix.Sockets;

/** A minimal vhost-user frontend speaking QEMU 7.2's vhost-user-fs sequence, for driving the backend. */
final class TestFrontend implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 5000;
    static final long NEED_REPLY = VHOST_USER_NEED_REPLY_MASK;
    static final long PROTOCOL = 1L << VHOST_USER_PROTOCOL_F_MQ | 1L << VHOST_USER_PROTOCOL_F_REPLY_ACK
            | 1L << VHOST_USER_PROTOCOL_F_CONFIGURE_MEM_SLOTS;

    /** A reply as received. */
    record Reply(int request, int flags, ByteBuffer payload) {
        long u64() {
            return payload.getLong(0);
        }
    }

    final int fd;
    private boolean closed;

    TestFrontend(String socketPath) throws PosixException {
        fd = Sockets.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
        Sockets.connect(fd, socketPath);
    }

    static ByteBuffer payload(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Sends header + payload in one sendmsg with {@code fds} as SCM_RIGHTS, as QEMU does. */
    void send(int request, int flags, ByteBuffer payload, int... fds) throws PosixException {
        payload.rewind();
        ByteBuffer message = ByteBuffer.allocateDirect(12 + payload.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        message.putInt(request).putInt(flags).putInt(payload.remaining()).put(payload).flip();
        sendRaw(message, fds);
    }

    void sendRaw(ByteBuffer bytes, int... fds) throws PosixException {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.remaining()).put(bytes).flip();
        Sockets.sendmsg(fd, new ByteBuffer[] {direct}, fds, SocketFlags.MSG_NOSIGNAL);
    }

    /** Reads one reply; fails the test on timeout. */
    Reply reply() throws PosixException {
        ByteBuffer header = readFully(12);
        int size = header.getInt(8);
        return new Reply(header.getInt(0), header.getInt(4), readFully(size));
    }

    /** Reads a reply to {@code request} and checks QEMU's rules: same code, flags exactly 0x5. */
    Reply replyTo(int request) throws PosixException {
        Reply reply = reply();
        assertEquals(request, reply.request(), "reply request code");
        assertEquals(0x5, reply.flags(), "reply flags");
        return reply;
    }

    private ByteBuffer readFully(int size) throws PosixException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            int[] revents = new int[1];
            if (Io.poll(new int[] {fd}, new int[] {PollFlags.POLLIN}, revents, TIMEOUT_MILLIS) == 0) {
                throw new AssertionError("no reply from the backend within " + TIMEOUT_MILLIS + " ms");
            }
            if (Io.read(fd, buffer) == 0) {
                throw new AssertionError("the backend closed the connection");
            }
        }
        return buffer.flip();
    }

    /** True when the backend closes the connection within the timeout (reading and discarding data). */
    boolean closedByBackend() throws PosixException {
        ByteBuffer sink = ByteBuffer.allocateDirect(256);
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            int[] revents = new int[1];
            if (Io.poll(new int[] {fd}, new int[] {PollFlags.POLLIN}, revents, 100) > 0) {
                sink.clear();
                try {
                    if (Io.read(fd, sink) == 0) {
                        return true;
                    }
                } catch (PosixException e) {
                    return true; // ECONNRESET
                }
            }
        }
        return false;
    }

    long getU64(int request) throws PosixException {
        send(request, VHOST_USER_VERSION, payload(0));
        return replyTo(request).u64();
    }

    void setU64(int request, long value) throws PosixException {
        send(request, VHOST_USER_VERSION, payload(8).putLong(0, value));
    }

    /** Sends with need_reply and returns the REPLY_ACK status (0 = success). */
    long setU64Acked(int request, long value) throws PosixException {
        send(request, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, payload(8).putLong(0, value));
        return replyTo(request).u64();
    }

    void vringState(int request, int index, int num) throws PosixException {
        send(request, VHOST_USER_VERSION, payload(8).putInt(0, index).putInt(4, num));
    }

    long vringStateAcked(int request, int index, int num) throws PosixException {
        send(request, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, payload(8).putInt(0, index).putInt(4, num));
        return replyTo(request).u64();
    }

    /** VHOST_USER_GET_VRING_BASE: {index, next avail index}. */
    int getVringBase(int index) throws PosixException {
        vringState(VHOST_USER_GET_VRING_BASE, index, 0);
        Reply reply = replyTo(VHOST_USER_GET_VRING_BASE);
        assertEquals(index, reply.payload().getInt(0));
        return reply.payload().getInt(4);
    }

    void vringFd(int request, int index, int eventFd) throws PosixException {
        setU64(request, index, eventFd);
    }

    void setU64(int request, long value, int... fds) throws PosixException {
        send(request, VHOST_USER_VERSION, payload(8).putLong(0, value), fds);
    }

    /** VHOST_USER_SET_MEM_TABLE with REPLY_ACK; returns the ack status. */
    long setMemTable(List<TestGuestMemory> regions) throws PosixException {
        ByteBuffer table = payload(8 + 32 * regions.size()).putInt(0, regions.size());
        int[] fds = new int[regions.size()];
        for (int i = 0; i < regions.size(); i++) {
            TestGuestMemory r = regions.get(i);
            table.putLong(8 + 32 * i, r.gpa).putLong(16 + 32 * i, r.size).putLong(24 + 32 * i, r.uaddr)
                    .putLong(32 + 32 * i, 0);
            fds[i] = r.fd;
        }
        send(VHOST_USER_SET_MEM_TABLE, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, table, fds);
        return replyTo(VHOST_USER_SET_MEM_TABLE).u64();
    }

    /** VHOST_USER_ADD_MEM_REG (or REM_MEM_REG, without fd) with REPLY_ACK; returns the ack status. */
    long memReg(int request, TestGuestMemory r) throws PosixException {
        ByteBuffer region = payload(40).putLong(8, r.gpa).putLong(16, r.size).putLong(24, r.uaddr).putLong(32, 0);
        int[] fds = request == VHOST_USER_ADD_MEM_REG ? new int[] {r.fd} : new int[0];
        send(request, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, region, fds);
        return replyTo(request).u64();
    }

    void setVringAddr(TestVirtqueue q) throws PosixException {
        TestGuestMemory m = q.rings;
        send(VHOST_USER_SET_VRING_ADDR, VHOST_USER_VERSION, payload(40).putInt(0, q.index).putInt(4, 0)
                .putLong(8, m.uaddrOf(q.desc)).putLong(16, m.uaddrOf(q.used)).putLong(24, m.uaddrOf(q.avail)).putLong(32, 0));
    }

    /** QEMU 7.2's realize phase: features, protocol features, queue count, slots, owner, call/err fds. */
    long realize(List<TestVirtqueue> queues, int[] errFds) throws PosixException {
        long features = getU64(VHOST_USER_GET_FEATURES);
        long protocol = getU64(VHOST_USER_GET_PROTOCOL_FEATURES);
        setU64(VHOST_USER_SET_PROTOCOL_FEATURES, protocol & PROTOCOL);
        assertEquals(queues.size(), getU64(VHOST_USER_GET_QUEUE_NUM), "GET_QUEUE_NUM");
        getU64(VHOST_USER_GET_MAX_MEM_SLOTS);
        send(VHOST_USER_SET_OWNER, VHOST_USER_VERSION, payload(0));
        getU64(VHOST_USER_GET_FEATURES);
        for (TestVirtqueue q : queues) {
            vringFd(VHOST_USER_SET_VRING_CALL, q.index, q.callFd);
            vringFd(VHOST_USER_SET_VRING_ERR, q.index, errFds[q.index]);
        }
        return features;
    }

    /** QEMU 7.2's start phase for one queue: num, base, addr, kick, call, enable. */
    void startQueue(TestVirtqueue q) throws PosixException {
        startQueue(q, 0);
    }

    /** The start phase resuming at avail index {@code base} (what GET_VRING_BASE reported). */
    void startQueue(TestVirtqueue q, int base) throws PosixException {
        vringState(VHOST_USER_SET_VRING_NUM, q.index, q.size);
        vringState(VHOST_USER_SET_VRING_BASE, q.index, base);
        setVringAddr(q);
        vringFd(VHOST_USER_SET_VRING_KICK, q.index, q.kickFd);
        vringFd(VHOST_USER_SET_VRING_CALL, q.index, q.callFd);
        vringState(VHOST_USER_SET_VRING_ENABLE, q.index, 1);
    }

    @Override
    public void close() throws PosixException {
        if (!closed) {
            closed = true;
            Io.close(fd);
        }
    }
}

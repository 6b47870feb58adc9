package org.jvirtiofs.vhostuser.internal;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Executor;
import org.jvirtiofs.posix.MappedRegion;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One frontend connection's device state: negotiated features, guest memory and vrings, driven
 * by the messages QEMU's vhost-user-fs sends. Runs on the socket thread; queue workers run only
 * while their vring is ready, and are stopped around every change that touches what they use.
 */
public final class BackendSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSession.class);
    private static final int VRING_STATE_SIZE = 8;
    private static final int VRING_ADDR_SIZE = 40;

    private final FrontendChannel channel;
    private final MemoryTable memory;
    private final Vring[] vrings;
    private long ackedFeatures;
    private long protocolFeatures;

    /** Serves the frontend on {@code channel}; {@code pool} (nullable) serves request queues. */
    public BackendSession(FrontendChannel channel, BackendOptions options, RequestHandler requests,
                          RequestHandler hiprio, Executor pool, BackendCounters counters) {
        this(channel, options, requests, hiprio, pool, counters, MappedRegion.DEFAULT_WINDOW_SIZE);
    }

    BackendSession(FrontendChannel channel, BackendOptions options, RequestHandler requests,
                   RequestHandler hiprio, Executor pool, BackendCounters counters, long windowSize) {
        this.channel = channel;
        this.memory = new MemoryTable(options.maxMemSlots(), windowSize);
        this.vrings = new Vring[1 + options.requestQueues()];
        for (int i = 0; i < vrings.length; i++) {
            // FORGETs are cheap and unordered with replies: hiprio is always served inline
            vrings[i] = new Vring(i, i == 0 ? hiprio : requests, i == 0 ? null : pool, counters.forQueue(i),
                    options.stopTimeoutMillis());
        }
    }

    /** Handles messages until the frontend closes the connection. */
    public void serve() throws ProtocolException, PosixException, FrontendChannel.StoppedException {
        Message message;
        while ((message = channel.read()) != null) {
            handle(message);
        }
    }

    /** Handles one message, replying or acking as the protocol asks; refusals keep the connection. */
    void handle(Message message) throws ProtocolException, PosixException {
        try {
            if (!dispatch(message)) {
                ack(message, 0);
            }
        } catch (RejectedRequestException e) {
            LOG.warn("{} refused: {}", name(message.request()), e.getMessage());
            ack(message, 1);
        } finally {
            message.closeUntakenFds();
        }
    }

    /** REPLY_ACK: with need_reply set (and REPLY_ACK negotiated), a u64 status, 0 for success. */
    private void ack(Message message, long status) throws PosixException {
        if (message.needReply() && (protocolFeatures & 1L << VHOST_USER_PROTOCOL_F_REPLY_ACK) != 0) {
            channel.replyU64(message.request(), status);
        }
    }

    /** Acts on one message; true when it already sent its reply. */
    private boolean dispatch(Message m) throws ProtocolException, RejectedRequestException, PosixException {
        switch (m.request()) {
            case VHOST_USER_GET_FEATURES -> replyU64(m.expectSize(0), OFFERED_FEATURES);
            case VHOST_USER_GET_PROTOCOL_FEATURES -> replyU64(m.expectSize(0), OFFERED_PROTOCOL_FEATURES);
            case VHOST_USER_GET_QUEUE_NUM -> replyU64(m.expectSize(0), vrings.length);
            case VHOST_USER_GET_MAX_MEM_SLOTS -> replyU64(m.expectSize(0), memory.maxSlots());
            case VHOST_USER_GET_VRING_BASE -> getVringBase(m.expectSize(VRING_STATE_SIZE));
            case VHOST_USER_SET_FEATURES -> setFeatures(m.expectSize(8).u64(0));
            case VHOST_USER_SET_PROTOCOL_FEATURES -> setProtocolFeatures(m.expectSize(8).u64(0));
            case VHOST_USER_SET_OWNER -> m.expectSize(0);
            case VHOST_USER_RESET_OWNER, VHOST_USER_RESET_DEVICE -> reset(m.expectSize(0));
            case VHOST_USER_SET_MEM_TABLE -> swapMemory(memory.parseTable(m));
            case VHOST_USER_ADD_MEM_REG -> swapMemory(memory.parseAdd(m));
            case VHOST_USER_REM_MEM_REG -> swapMemory(memory.current().without(memory.parseRemove(m)));
            case VHOST_USER_SET_VRING_NUM -> setVringNum(m.expectSize(VRING_STATE_SIZE));
            case VHOST_USER_SET_VRING_BASE -> setVringBase(m.expectSize(VRING_STATE_SIZE));
            case VHOST_USER_SET_VRING_ADDR -> setVringAddr(m.expectSize(VRING_ADDR_SIZE));
            case VHOST_USER_SET_VRING_ENABLE -> setVringEnable(m.expectSize(VRING_STATE_SIZE));
            case VHOST_USER_SET_VRING_KICK, VHOST_USER_SET_VRING_CALL, VHOST_USER_SET_VRING_ERR ->
                    setVringFile(m.expectSize(8));
            default -> throw new RejectedRequestException("unsupported request");
        }
        return switch (m.request()) {
            case VHOST_USER_GET_FEATURES, VHOST_USER_GET_PROTOCOL_FEATURES, VHOST_USER_GET_QUEUE_NUM,
                    VHOST_USER_GET_MAX_MEM_SLOTS, VHOST_USER_GET_VRING_BASE -> true;
            default -> false;
        };
    }

    private void replyU64(Message m, long value) throws PosixException {
        channel.replyU64(m.request(), value);
    }

    private void setFeatures(long features) {
        if ((features & ~OFFERED_FEATURES) != 0) {
            LOG.warn("SET_FEATURES acks unoffered bits 0x{}; ignoring them", Long.toHexString(features & ~OFFERED_FEATURES));
        }
        ackedFeatures = features & OFFERED_FEATURES;
        // Without VHOST_USER_F_PROTOCOL_FEATURES rings start enabled (QEMU before 7.2 never enables them).
        boolean enableAll = (ackedFeatures & 1L << VHOST_USER_F_PROTOCOL_FEATURES) == 0;
        for (Vring vring : vrings) {
            // restarted so a running queue picks up EVENT_IDX and INDIRECT_DESC as negotiated now
            reconfigure(vring, () -> vring.setEnabled(vring.enabled() || enableAll));
        }
    }

    private void setProtocolFeatures(long features) {
        if ((features & ~OFFERED_PROTOCOL_FEATURES) != 0) {
            LOG.warn("SET_PROTOCOL_FEATURES acks unoffered bits 0x{}; ignoring them",
                    Long.toHexString(features & ~OFFERED_PROTOCOL_FEATURES));
        }
        protocolFeatures = features & OFFERED_PROTOCOL_FEATURES;
    }

    /** RESET_OWNER / RESET_DEVICE: back to a fresh device with the same memory and protocol features. */
    private void reset(Message m) {
        LOG.info("{}: resetting the device", name(m.request()));
        for (Vring vring : vrings) {
            vring.reset();
        }
        ackedFeatures = 0;
    }

    private void swapMemory(GuestMemory next) {
        boolean mayUnmap = pauseAll();
        memory.install(next, mayUnmap);
        for (Vring vring : vrings) {
            vring.resume(memory.current(), ackedFeatures);
        }
    }

    private void setVringNum(Message m) throws RejectedRequestException {
        Vring vring = vring(m.u32(0));
        long num = Integer.toUnsignedLong(m.u32(4));
        if (!Virtqueue.validSize(num)) {
            throw new RejectedRequestException("queue size " + num + " is not a power of 2 up to "
                    + Virtqueue.MAX_QUEUE_SIZE);
        }
        reconfigure(vring, () -> vring.setSize((int) num));
    }

    private void setVringBase(Message m) throws RejectedRequestException {
        Vring vring = vring(m.u32(0));
        long base = Integer.toUnsignedLong(m.u32(4));
        if (base > 0xffff) {
            throw new RejectedRequestException("split ring base " + base + " beyond 16 bits");
        }
        reconfigure(vring, () -> vring.setBase((int) base));
    }

    private void setVringAddr(Message m) throws RejectedRequestException {
        Vring vring = vring(m.u32(0));
        // flags (bit 0: VHOST_VRING_F_LOG) and log_guest_addr matter only for dirty logging, not offered
        VringAddresses addresses = new VringAddresses(m.u64(8), m.u64(16), m.u64(24));
        reconfigure(vring, () -> vring.setAddresses(addresses));
    }

    private void setVringEnable(Message m) throws RejectedRequestException {
        Vring vring = vring(m.u32(0));
        int enable = m.u32(4);
        if (enable != 0 && enable != 1) {
            throw new RejectedRequestException("SET_VRING_ENABLE with " + Integer.toUnsignedString(enable));
        }
        reconfigure(vring, () -> vring.setEnabled(enable == 1));
    }

    private void getVringBase(Message m) throws ProtocolException, PosixException {
        int index = m.u32(0);
        if (Integer.compareUnsigned(index, vrings.length) >= 0) {
            throw new ProtocolException("GET_VRING_BASE of vring " + Integer.toUnsignedString(index));
        }
        int next = vrings[index].stop();
        ByteBuffer state = ByteBuffer.allocate(VRING_STATE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        channel.reply(m.request(), state.putInt(0, index).putInt(4, next));
    }

    /** SET_VRING_KICK/CALL/ERR: u64 with the index in bits 0-7 and bit 8 set when no fd came. */
    private void setVringFile(Message m) throws ProtocolException, RejectedRequestException {
        long value = m.u64(0);
        boolean noFd = (value & VHOST_USER_VRING_NOFD_MASK) != 0;
        if (m.fdCount() != (noFd ? 0 : 1)) {
            throw new ProtocolException(name(m.request()) + " with " + m.fdCount() + " fds, no-fd flag " + noFd);
        }
        Vring vring = vring((int) (value & VHOST_USER_VRING_IDX_MASK));
        int fd = noFd ? -1 : m.takeFd(0);
        switch (m.request()) {
            case VHOST_USER_SET_VRING_KICK -> reconfigure(vring, () -> vring.setKick(fd));
            case VHOST_USER_SET_VRING_CALL -> vring.call.replace(fd);
            default -> vring.err.replace(fd);
        }
    }

    private Vring vring(int index) throws RejectedRequestException {
        if (Integer.compareUnsigned(index, vrings.length) >= 0) {
            throw new RejectedRequestException("no vring " + Integer.toUnsignedString(index)
                    + " (the device has " + vrings.length + ")");
        }
        return vrings[index];
    }

    /** Applies a change to a vring with its worker stopped, then restarts it if it is ready. */
    private void reconfigure(Vring vring, Runnable change) {
        vring.pause();
        change.run();
        vring.resume(memory.current(), ackedFeatures);
    }

    /** Stops every worker; false if one is stuck in a handler (then guest memory must stay mapped). */
    private boolean pauseAll() {
        boolean allStopped = true;
        for (Vring vring : vrings) {
            allStopped &= vring.pause();
        }
        return allStopped;
    }

    /** Stops the workers, closes every fd and unmaps guest memory (leaking it if a handler is stuck). */
    @Override
    public void close() {
        boolean allStopped = true;
        for (Vring vring : vrings) {
            allStopped &= vring.close();
        }
        memory.install(GuestMemory.EMPTY, allStopped);
        channel.close();
    }
}

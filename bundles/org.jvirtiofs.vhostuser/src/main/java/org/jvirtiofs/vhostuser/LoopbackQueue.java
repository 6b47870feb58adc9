package org.jvirtiofs.vhostuser;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MappedRegion;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PollFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.internal.EventSignal;
import org.jvirtiofs.vhostuser.internal.GuestMemory;
import org.jvirtiofs.vhostuser.internal.MemoryRegion;
import org.jvirtiofs.vhostuser.internal.Message;
import org.jvirtiofs.vhostuser.internal.QueueStats;
import org.jvirtiofs.vhostuser.internal.QueueWorker;
import org.jvirtiofs.vhostuser.internal.RejectedRequestException;
import org.jvirtiofs.vhostuser.internal.VhostUser;
import org.jvirtiofs.vhostuser.internal.Virtqueue;
import org.jvirtiofs.vhostuser.internal.VringAddresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request queue in this process's own memory, driven from this process as a guest drives its
 * queues: a split ring in a memfd, a queue worker on its own thread popping chains, the handler
 * serving them, the used ring and the call eventfd bringing the replies back. It runs the very
 * code a guest's queue runs, so a daemon can rehearse its request path (and have the JIT compile
 * it) before a guest comes. Not for serving anyone.
 *
 * <p>One request at a time, from one thread: {@link #call} publishes a chain, kicks, and waits
 * for the used ring.
 */
public final class LoopbackQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackQueue.class);
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int QUEUE_SIZE = 4;
    private static final long GPA = 0x1000_0000L;
    private static final int DESC = 0;
    private static final int AVAIL = 0x100;
    private static final int USED = 0x200;
    /** One indirect table, for the chain in flight. */
    private static final int INDIRECT = 0x400;
    private static final int REQUEST = 0x1000;
    private static final int PAGE = 4096;
    private static final long STOP_MILLIS = 10_000;
    /** The largest request or reply room: a FUSE request carries at most 1 MiB of data. */
    public static final int MAX_ROOM = 2 << 20;
    /** The most segments (descriptors) in one chain: what fits the indirect table. */
    public static final int MAX_SEGMENTS = 64;

    private final int memfd;
    private final ByteBuffer ram;
    private final MemoryRegion region;
    private final int kickFd;
    private final int callFd;
    private final EventSignal call = new EventSignal();
    private final QueueWorker worker;
    private final int requestRoom;
    private final int replyAt;
    private final int replyRoom;
    private final int[] pollFds;
    private final int[] pollEvents = {PollFlags.POLLIN};
    private final int[] pollRevents = new int[1];
    private int availIdx;
    private int usedIdx;
    private boolean closed;

    private LoopbackQueue(int memfd, MemoryRegion region, int kickFd, int callFd, RequestHandler handler,
                          int requestRoom, int replyRoom, String threadName)
            throws PosixException, RejectedRequestException {
        this.memfd = memfd;
        // the worker's mapping is the driver's too: one window, as the size is far below a window's
        this.ram = region.mapping().windows().get(0);
        this.region = region;
        this.kickFd = kickFd;
        this.callFd = callFd;
        this.requestRoom = requestRoom;
        this.replyAt = REQUEST + pages(requestRoom);
        this.replyRoom = replyRoom;
        this.pollFds = new int[] {callFd};
        // what QEMU and Linux agree on for virtio-fs, so the worker takes the guest's branches
        long features = 1L << VhostUser.VIRTIO_F_VERSION_1 | 1L << VhostUser.VIRTIO_RING_F_INDIRECT_DESC
                | 1L << VhostUser.VIRTIO_RING_F_EVENT_IDX;
        Virtqueue queue = Virtqueue.open(GuestMemory.of(List.of(region)),
                new VringAddresses(GPA + DESC, GPA + USED, GPA + AVAIL), QUEUE_SIZE, 0, features, call);
        worker = new QueueWorker(0, queue, kickFd, handler, null,
                new QueueStats(new LongAdder(), new LongAdder()), new EventSignal());
        call.replace(callFd); // the signal owns the call fd from here on
        worker.start(threadName);
    }

    /**
     * A queue whose chains {@code handler} serves on a thread named {@code threadName}, with room
     * for requests of up to {@code requestRoom} bytes and replies of up to {@code replyRoom}.
     */
    public static LoopbackQueue open(RequestHandler handler, int requestRoom, int replyRoom, String threadName)
            throws IOException {
        if (requestRoom < 1 || requestRoom > MAX_ROOM || replyRoom < 1 || replyRoom > MAX_ROOM) {
            throw new IllegalArgumentException("request and reply room must be 1.." + MAX_ROOM + " bytes: "
                    + requestRoom + ", " + replyRoom);
        }
        long size = REQUEST + pages(requestRoom) + pages(replyRoom);
        int memfd = -1;
        int kick = -1;
        int call = -1;
        MemoryRegion region = null;
        try {
            memfd = Memory.memfdCreate("jvirtiofs-loopback", MemFlags.MFD_CLOEXEC);
            Io.ftruncate(memfd, size);
            region = MemoryRegion.map(GPA, size, GPA, 0, memfd, MappedRegion.DEFAULT_WINDOW_SIZE);
            kick = Memory.eventfd(0, MemFlags.EFD_CLOEXEC);
            call = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
            return new LoopbackQueue(memfd, region, kick, call, handler, requestRoom, replyRoom, threadName);
        } catch (PosixException | RejectedRequestException e) {
            Message.closeQuietly(kick);
            Message.closeQuietly(call);
            unmapQuietly(region);
            Message.closeQuietly(memfd);
            throw new IOException("cannot set up a loopback queue: " + e.getMessage(), e);
        }
    }

    /**
     * Sends {@code request} (its remaining bytes) as a chain of one readable and one writable
     * descriptor of the whole reply room; see {@link #call(ByteBuffer, int[], int[], long)}.
     */
    public ByteBuffer call(ByteBuffer request, long timeoutMillis) throws IOException, TimeoutException {
        return call(request, new int[] {request.remaining()}, new int[] {replyRoom}, timeoutMillis);
    }

    /**
     * Sends {@code request}'s remaining bytes cut into readable segments of the {@code readable}
     * lengths, followed by writable segments of the {@code writable} lengths, and waits up to
     * {@code timeoutMillis} for the handler's reply. As Linux's virtio ring lays chains out, a
     * chain of more than one segment goes in an indirect table. Returns a read-only
     * little-endian view of the reply's used length (the writable segments lie end to end),
     * valid until the next call.
     *
     * @throws TimeoutException if the handler did not return in time (the queue is then unusable)
     */
    public ByteBuffer call(ByteBuffer request, int[] readable, int[] writable, long timeoutMillis)
            throws IOException, TimeoutException {
        if (closed) {
            throw new IllegalStateException("loopback queue closed");
        }
        int length = request.remaining();
        int replyLength = checkSegments(length, readable, writable);
        ram.put(REQUEST, request, request.position(), length);
        int n = readable.length + writable.length;
        if (n == 1) {
            boolean in = readable.length == 1;
            descriptor(DESC, 0, GPA + (in ? REQUEST : replyAt), in ? length : replyLength,
                    in ? 0 : VhostUser.VIRTQ_DESC_F_WRITE, 0);
        } else {
            descriptor(DESC, 0, GPA + INDIRECT, VhostUser.VIRTQ_DESC_SIZE * n, VhostUser.VIRTQ_DESC_F_INDIRECT, 0);
            long addr = GPA + REQUEST;
            for (int i = 0; i < n; i++) {
                boolean in = i < readable.length;
                if (i == readable.length) {
                    addr = GPA + replyAt;
                }
                int len = in ? readable[i] : writable[i - readable.length];
                int flags = (in ? 0 : VhostUser.VIRTQ_DESC_F_WRITE) | (i + 1 < n ? VhostUser.VIRTQ_DESC_F_NEXT : 0);
                descriptor(INDIRECT, i, addr, len, flags, i + 1 < n ? i + 1 : 0);
                addr += len;
            }
        }
        // as the guest does: the head in the next avail slot, used_event at the completion we await,
        // then the new avail idx, released after both
        ram.putShort(AVAIL + 4 + 2 * (availIdx & (QUEUE_SIZE - 1)), (short) 0);
        U16.setRelease(ram, AVAIL + 4 + 2 * QUEUE_SIZE, (short) usedIdx);
        availIdx = (availIdx + 1) & 0xffff;
        U16.setRelease(ram, AVAIL + 2, (short) availIdx);
        try {
            Memory.eventfdWrite(kickFd, 1);
            awaitUsed(timeoutMillis);
        } catch (PosixException e) {
            throw new IOException("loopback queue: " + e.getMessage(), e);
        }
        int used = ram.getInt(USED + 4 + 8 * (usedIdx & (QUEUE_SIZE - 1)) + 4);
        usedIdx = (usedIdx + 1) & 0xffff;
        return ram.slice(replyAt, Math.min(used, replyLength)).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Checks the segments against the request and the rooms; returns the writable bytes. */
    private int checkSegments(int length, int[] readable, int[] writable) {
        int n = readable.length + writable.length;
        if (n < 1 || n > MAX_SEGMENTS) {
            throw new IllegalArgumentException("a chain has 1.." + MAX_SEGMENTS + " segments, not " + n);
        }
        if (length > requestRoom) {
            throw new IllegalArgumentException("request of " + length + " bytes exceeds the room of " + requestRoom);
        }
        long in = 0;
        for (int len : readable) {
            in += positive(len);
        }
        if (in != length) {
            throw new IllegalArgumentException("readable segments of " + in + " bytes for a request of " + length);
        }
        long out = 0;
        for (int len : writable) {
            out += positive(len);
        }
        if (out > replyRoom) {
            throw new IllegalArgumentException("writable segments of " + out + " bytes exceed the room of " + replyRoom);
        }
        return (int) out;
    }

    private static int positive(int segmentLength) {
        if (segmentLength < 1) {
            throw new IllegalArgumentException("a segment of " + segmentLength + " bytes");
        }
        return segmentLength;
    }

    private void awaitUsed(long timeoutMillis) throws PosixException, TimeoutException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        int expected = (usedIdx + 1) & 0xffff;
        while (Short.toUnsignedInt((short) U16.getAcquire(ram, USED + 2)) != expected) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new TimeoutException("no reply from the loopback queue's handler in " + timeoutMillis + " ms");
            }
            if (poll((int) Math.min(left, 1000))) {
                Memory.eventfdRead(callFd);
            }
        }
    }

    private boolean poll(int timeoutMillis) throws PosixException {
        try {
            return Io.poll(pollFds, pollEvents, pollRevents, timeoutMillis) > 0;
        } catch (PosixException e) {
            if (e.errno() != Errno.EINTR) {
                throw e;
            }
            return false;
        }
    }

    private void descriptor(int table, int index, long addr, int len, int flags, int next) {
        int at = table + VhostUser.VIRTQ_DESC_SIZE * index;
        ram.putLong(at, addr);
        ram.putInt(at + 8, len);
        ram.putShort(at + 12, (short) flags);
        ram.putShort(at + 14, (short) next);
    }

    /**
     * Stops the worker and frees the queue. A handler still running after 10 s keeps the memory
     * mapped (it may still write there), which is then leaked rather than unmapped under it.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean stopped = worker.stop(STOP_MILLIS);
        call.close();
        Message.closeQuietly(kickFd);
        if (stopped) {
            unmapQuietly(region);
        } else {
            LOG.warn("loopback queue's handler still running after {} ms: its memory stays mapped", STOP_MILLIS);
        }
        Message.closeQuietly(memfd);
    }

    private static int pages(int bytes) {
        return (bytes + PAGE - 1) / PAGE * PAGE;
    }

    private static void unmapQuietly(MemoryRegion region) {
        try {
            if (region != null) {
                region.unmap();
            }
        } catch (PosixException e) {
            LOG.debug("cannot unmap the loopback queue: {}", e.getMessage());
        }
    }
}

package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.TestVirtqueue.Buf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** Shared fixture: a backend on a temp socket, and devices set up the way QEMU 7.2 sets them up. */
abstract class BackendTestBase {
    static final long RAM_GPA = 0x4000_0000L;
    static final long RAM_SIZE = 4L << 20;
    static final long RAM_UADDR = 0x7f55_0000_0000L;
    static final long DATA = RAM_GPA + 0x10_0000;
    static final int QUEUE_SIZE = 128;
    static final long ALL_FEATURES = 1L << VIRTIO_F_VERSION_1 | 1L << VIRTIO_RING_F_INDIRECT_DESC
            | 1L << VIRTIO_RING_F_EVENT_IDX | 1L << VHOST_USER_F_PROTOCOL_FEATURES;

    @TempDir
    Path dir;
    String socket;
    VhostUserBackend backend;
    final AtomicInteger requestCalls = new AtomicInteger();
    final AtomicInteger hiprioCalls = new AtomicInteger();
    final List<AutoCloseable> cleanup = Collections.synchronizedList(new ArrayList<>());

    /** Writes "echo:" and then every readable byte into the writable segments; returns the count. */
    final RequestHandler echo = (readable, writable) -> {
        requestCalls.incrementAndGet();
        return write(writable, concat("echo:".getBytes(StandardCharsets.UTF_8), bytes(readable)));
    };

    final RequestHandler forget = (readable, writable) -> {
        hiprioCalls.incrementAndGet();
        return 0;
    };

    void startBackend(BackendOptions options, RequestHandler requests) throws Exception {
        socket = dir.resolve("vhost.sock").toString();
        backend = VhostUserBackend.listen(socket, options, requests, forget);
    }

    void startBackend() throws Exception {
        startBackend(BackendOptions.defaults(), echo);
    }

    @AfterEach
    void stopAll() throws Exception {
        if (backend != null) {
            backend.stop();
        }
        List<AutoCloseable> all = new ArrayList<>(cleanup);
        Collections.reverse(all);
        for (AutoCloseable c : all) {
            c.close();
        }
    }

    <T extends AutoCloseable> T track(T closeable) {
        cleanup.add(closeable);
        return closeable;
    }

    /** A frontend with its guest memory and queues (0 = hiprio, 1.. = request). */
    final class Device {
        final TestFrontend frontend;
        final TestGuestMemory ram;
        final List<TestVirtqueue> queues = new ArrayList<>();
        final int[] errFds;

        Device(int requestQueues) throws PosixException {
            frontend = track(new TestFrontend(socket));
            ram = track(new TestGuestMemory(RAM_GPA, RAM_SIZE, RAM_UADDR));
            errFds = new int[1 + requestQueues];
            for (int i = 0; i <= requestQueues; i++) {
                queues.add(track(new TestVirtqueue(i, QUEUE_SIZE, ram, RAM_GPA + 0x1_0000L * i)));
                errFds[i] = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
                int fd = errFds[i];
                track(() -> org.jvirtiofs.posix.Io.close(fd));
            }
        }

        TestVirtqueue hiprio() {
            return queues.get(0);
        }

        TestVirtqueue request() {
            return queues.get(1);
        }

        /** QEMU 7.2: realize, SET_FEATURES, ADD_MEM_REG, then every queue started and enabled. */
        Device start(long features) throws PosixException {
            long offered = frontend.realize(queues, errFds);
            frontend.setU64(VHOST_USER_SET_FEATURES, offered & features);
            assertEquals(0, frontend.memReg(VHOST_USER_ADD_MEM_REG, ram), "ADD_MEM_REG ack");
            for (TestVirtqueue q : queues) {
                frontend.startQueue(q);
            }
            return this;
        }

        /** A request with {@code text} in one readable buffer and 256 writable bytes; returns the head. */
        int submit(String text, long at) throws PosixException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            ram.put(at, bytes);
            return request().submit(List.of(Buf.in(at, bytes.length), Buf.out(at + 0x1000, 256)));
        }

        /** Proves the device serves: one echo round trip on the request queue. */
        void assertRoundTrip(String text) throws Exception {
            TestVirtqueue q = request();
            int before = q.usedIdx();
            q.awaitCall(0); // forget older interrupts
            q.setUsedEvent(before); // as virtqueue_enable_cb does: interrupt me for the next entry
            int head = submit(text, DATA + 0x2_0000);
            assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS), "call eventfd signalled");
            // the call just seen may be a late one for the entry before (the backend publishes the
            // used index, then signals): the used index decides
            assertTrue(q.awaitUsed(before + 1, TestFrontend.TIMEOUT_MILLIS), "the chain came back used");
            assertEquals((before + 1) & 0xffff, q.usedIdx());
            assertEquals(head, q.usedId(before));
            assertEquals(5 + text.length(), q.usedLen(before));
            assertEquals("echo:" + text, new String(ram.get(DATA + 0x2_1000, 5 + text.length()), StandardCharsets.UTF_8));
        }
    }

    /** A fresh frontend sets the device up and gets a request served: the backend is still healthy. */
    void assertNewFrontendIsServed() throws Exception {
        new Device(1).start(ALL_FEATURES).assertRoundTrip("still serving");
    }

    static byte[] bytes(ByteBuffer[] segments) {
        int total = 0;
        for (ByteBuffer s : segments) {
            total += s.remaining();
        }
        byte[] all = new byte[total];
        int at = 0;
        for (ByteBuffer s : segments) {
            int n = s.remaining();
            s.duplicate().get(all, at, n);
            at += n;
        }
        return all;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] all = new byte[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** Scatters {@code data} over the segments; returns how much fit. */
    static int write(ByteBuffer[] segments, byte[] data) {
        int at = 0;
        for (ByteBuffer s : segments) {
            int n = Math.min(s.remaining(), data.length - at);
            s.put(data, at, n);
            at += n;
        }
        return at;
    }
}

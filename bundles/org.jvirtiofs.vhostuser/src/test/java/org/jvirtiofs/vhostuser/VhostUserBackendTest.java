package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.SocketFlags;
import org.jvirtiofs.posix.Sockets;
import org.jvirtiofs.vhostuser.TestVirtqueue.Buf;
import org.junit.jupiter.api.Test;

class VhostUserBackendTest extends BackendTestBase {

    @Test
    void handshakeOffersSplitRingFeaturesAndNeverConfig() throws Exception {
        startBackend();
        TestFrontend frontend = track(new TestFrontend(socket));
        long features = frontend.getU64(VHOST_USER_GET_FEATURES);
        assertEquals(ALL_FEATURES, features);
        assertEquals(0, features & 1L << 34, "no packed ring");
        long protocol = frontend.getU64(VHOST_USER_GET_PROTOCOL_FEATURES);
        assertEquals(TestFrontend.PROTOCOL, protocol);
        assertEquals(0, protocol & 1L << VHOST_USER_PROTOCOL_F_CONFIG, "never CONFIG");
        frontend.setU64(VHOST_USER_SET_PROTOCOL_FEATURES, protocol);
        assertEquals(2, frontend.getU64(VHOST_USER_GET_QUEUE_NUM));
        assertEquals(32, frontend.getU64(VHOST_USER_GET_MAX_MEM_SLOTS));
        assertEquals(0, frontend.setU64Acked(VHOST_USER_SET_FEATURES, features), "REPLY_ACK success");
    }

    @Test
    void requestRoundTripsThroughGuestMemoryWithoutCopies() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        startBackend(BackendOptions.defaults(), (readable, writable) -> {
            seen.set(readable.length + " readable, direct " + readable[0].isDirect() + ", " + writable.length + " writable");
            int written = echo.handle(readable, writable);
            readable[0].put(readable[0].position(), (byte) 'J'); // a view of guest memory, not a copy
            return written;
        });
        Device device = new Device(1).start(ALL_FEATURES);
        device.assertRoundTrip("hello guest");
        assertEquals("1 readable, direct true, 1 writable", seen.get());
        assertEquals("Jello guest",
                new String(device.ram.get(DATA + 0x2_0000, 11), StandardCharsets.UTF_8));
        assertEquals(1, backend.status().requestsServed());
    }

    @Test
    void theRequestHandlerHearsOnceOfEachFrontendThatLeaves() throws Exception {
        java.util.concurrent.atomic.AtomicInteger gone = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch left = new CountDownLatch(1);
        startBackend(BackendOptions.defaults(), RequestHandler.onFrontendGone(echo, () -> {
            gone.incrementAndGet();
            left.countDown();
        }));
        Device device = new Device(1).start(ALL_FEATURES);
        device.assertRoundTrip("before leaving");
        assertEquals(0, gone.get(), "not while the frontend is there");
        device.frontend.close();
        assertTrue(left.await(5, TimeUnit.SECONDS), "told that the frontend left");
        // a frontend the backend drops for a protocol error has left too
        TestFrontend rude = track(new TestFrontend(socket));
        rude.sendRaw(java.nio.ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0x10, 0}));
        assertTrue(rude.closedByBackend());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gone.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNewFrontendIsServed();
        assertEquals(2, gone.get(), "once per frontend that left (the last one is still connected)");
    }

    @Test
    void handshakeWithSetMemTableWorksToo() throws Exception {
        startBackend();
        Device device = new Device(1);
        TestFrontend frontend = device.frontend;
        long offered = frontend.realize(device.queues, device.errFds);
        frontend.setU64(VHOST_USER_SET_FEATURES, offered);
        assertEquals(0, frontend.setMemTable(List.of(device.ram)));
        for (TestVirtqueue q : device.queues) {
            frontend.startQueue(q);
        }
        device.assertRoundTrip("via SET_MEM_TABLE");
    }

    @Test
    void indirectDescriptorsReachTheHandlerAsOneChain() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES);
        device.ram.put(DATA, "abc".getBytes(StandardCharsets.UTF_8));
        device.ram.put(DATA + 0x100, "defg".getBytes(StandardCharsets.UTF_8));
        TestVirtqueue q = device.request();
        int head = q.indirectChain(device.ram, DATA + 0x8000,
                List.of(Buf.in(DATA, 3), Buf.in(DATA + 0x100, 4), Buf.out(DATA + 0x200, 4), Buf.out(DATA + 0x300, 64)));
        q.publish(head);
        q.kick();
        assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS));
        assertEquals(head, q.usedId(0));
        assertEquals(12, q.usedLen(0));
        assertEquals("echo", new String(device.ram.get(DATA + 0x200, 4), StandardCharsets.UTF_8));
        assertEquals(":abcdefg", new String(device.ram.get(DATA + 0x300, 8), StandardCharsets.UTF_8));
    }

    @Test
    void eventIdxSignalsOnlyWhenTheUsedIndexPassesUsedEvent() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES);
        TestVirtqueue q = device.request();
        q.setUsedEvent(2); // "interrupt me once used idx moves past 2"
        device.submit("one", DATA);
        assertTrue(q.awaitUsed(1, TestFrontend.TIMEOUT_MILLIS));
        device.submit("two", DATA + 0x100);
        assertTrue(q.awaitUsed(2, TestFrontend.TIMEOUT_MILLIS));
        assertFalse(q.awaitCall(200), "no call before used idx passes used_event");
        assertTrue(waitFor(() -> q.availEvent() == 2), "avail_event published: kick me for entry 2 on");
        device.submit("three", DATA + 0x200);
        assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS), "call once used idx passed used_event");
        assertEquals(3, q.usedIdx());
    }

    @Test
    void noInterruptFlagSuppressesCallsWithoutEventIdx() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES & ~(1L << VIRTIO_RING_F_EVENT_IDX));
        TestVirtqueue q = device.request();
        q.setAvailFlags(1); // VRING_AVAIL_F_NO_INTERRUPT
        device.submit("quiet", DATA);
        assertTrue(q.awaitUsed(1, TestFrontend.TIMEOUT_MILLIS));
        assertFalse(q.awaitCall(200));
        q.setAvailFlags(0);
        device.submit("loud", DATA + 0x100);
        assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS));
    }

    @Test
    void chainSplitAcrossTwoMemoryRegionsIsServed() throws Exception {
        startBackend();
        Device device = new Device(1);
        TestGuestMemory high = track(new TestGuestMemory(0x1_0000_0000L, 1L << 20, 0x7f66_0000_0000L));
        TestFrontend frontend = device.frontend;
        frontend.setU64(VHOST_USER_SET_FEATURES, frontend.realize(device.queues, device.errFds));
        assertEquals(0, frontend.setMemTable(List.of(device.ram, high)));
        device.queues.forEach(q -> uncheck(() -> frontend.startQueue(q)));
        device.ram.put(DATA, "low".getBytes(StandardCharsets.UTF_8));
        high.put(high.gpa + 0x10, "high".getBytes(StandardCharsets.UTF_8));
        TestVirtqueue q = device.request();
        q.submit(List.of(Buf.in(DATA, 3), Buf.in(high.gpa + 0x10, 4), Buf.out(high.gpa + 0x1000, 32)));
        assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS));
        assertEquals(12, q.usedLen(0));
        assertEquals("echo:lowhigh", new String(high.get(high.gpa + 0x1000, 12), StandardCharsets.UTF_8));
    }

    @Test
    void hiprioChainsAreReadableOnlyAndReturnedWithUsedLengthZero() throws Exception {
        AtomicReference<String> seen = new AtomicReference<>();
        socket = dir.resolve("vhost.sock").toString();
        backend = VhostUserBackend.listen(socket, BackendOptions.defaults(), echo, (readable, writable) -> {
            seen.set(readable.length + "/" + writable.length + "/" + bytes(readable).length);
            return 99; // nothing was writable: clamped to 0
        });
        Device device = new Device(1).start(ALL_FEATURES);
        TestVirtqueue q = device.hiprio();
        q.submit(List.of(Buf.in(DATA, 48)));
        assertTrue(q.awaitCall(TestFrontend.TIMEOUT_MILLIS));
        assertEquals(0, q.usedLen(0));
        assertEquals("1/0/48", seen.get());
        assertEquals(1, backend.status().hiprioServed());
    }

    @Test
    void getVringBaseStopsTheRingAndReportsTheNextAvailIndex() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES);
        device.assertRoundTrip("first");
        device.assertRoundTrip("second");
        TestFrontend frontend = device.frontend;
        frontend.vringState(VHOST_USER_SET_VRING_ENABLE, 1, 0);
        int base = frontend.getVringBase(1);
        assertEquals(2, base);
        TestVirtqueue q = device.request();
        device.submit("while stopped", DATA);
        assertFalse(q.awaitUsed(3, 300), "a stopped ring serves nothing");
        frontend.startQueue(q, base); // QEMU restarts with NUM, BASE, ADDR, KICK, CALL, ENABLE
        assertTrue(q.awaitUsed(3, TestFrontend.TIMEOUT_MILLIS), "restarted ring serves the pending chain");
    }

    @Test
    void secondFrontendWorksAfterTheFirstCloses() throws Exception {
        startBackend();
        Device first = new Device(1).start(ALL_FEATURES);
        first.assertRoundTrip("first frontend");
        first.frontend.close();
        assertTrue(waitFor(() -> !backend.status().connected()));
        Device second = new Device(1).start(ALL_FEATURES);
        second.assertRoundTrip("second frontend");
        assertEquals(2, backend.status().connections());
    }

    @Test
    void ringsStartEnabledWhenProtocolFeaturesAreNotAcked() throws Exception {
        startBackend();
        Device device = requestQueueWithoutEnable(ALL_FEATURES & ~(1L << VHOST_USER_F_PROTOCOL_FEATURES)); // QEMU < 7.2
        device.assertRoundTrip("no SET_VRING_ENABLE needed");
    }

    @Test
    void ringsWaitForSetVringEnableWhenProtocolFeaturesAreAcked() throws Exception {
        startBackend();
        Device device = requestQueueWithoutEnable(ALL_FEATURES);
        TestFrontend frontend = device.frontend;
        TestVirtqueue q = device.request();
        device.submit("waiting", DATA);
        assertFalse(q.awaitUsed(1, 300), "disabled ring");
        assertEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_ENABLE, 1, 1));
        assertTrue(q.awaitUsed(1, TestFrontend.TIMEOUT_MILLIS), "enabled ring serves");
    }

    @Test
    void threadPoolServesChainsOfOneQueueInParallel() throws Exception {
        CountDownLatch allInside = new CountDownLatch(3);
        startBackend(BackendOptions.defaults().withThreadPoolSize(4), (readable, writable) -> {
            allInside.countDown();
            try {
                // only three handlers running at once get past this
                return allInside.await(5, TimeUnit.SECONDS) ? echo.handle(readable, writable) : 0;
            } catch (InterruptedException e) {
                return 0;
            }
        });
        Device device = new Device(1).start(ALL_FEATURES);
        TestVirtqueue q = device.request();
        for (int i = 0; i < 3; i++) {
            device.submit("parallel" + i, DATA + 0x2000L * i);
        }
        assertTrue(q.awaitUsed(3, TestFrontend.TIMEOUT_MILLIS));
        for (int i = 0; i < 3; i++) {
            assertEquals(14, q.usedLen(i));
        }
    }

    @Test
    void secondRequestQueueIsServedWhenConfigured() throws Exception {
        startBackend(BackendOptions.defaults().withRequestQueues(2), echo);
        Device device = new Device(2).start(ALL_FEATURES);
        TestVirtqueue q2 = device.queues.get(2);
        device.ram.put(DATA, "q2".getBytes(StandardCharsets.UTF_8));
        q2.submit(List.of(Buf.in(DATA, 2), Buf.out(DATA + 0x100, 16)));
        assertTrue(q2.awaitCall(TestFrontend.TIMEOUT_MILLIS));
        assertArrayEquals("echo:q2".getBytes(StandardCharsets.UTF_8), device.ram.get(DATA + 0x100, 7));
    }

    @Test
    void removedMemoryRegionNoLongerTranslates() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES);
        TestGuestMemory extra = track(new TestGuestMemory(0x2_0000_0000L, 1L << 20, 0x7f77_0000_0000L));
        assertEquals(0, device.frontend.memReg(VHOST_USER_ADD_MEM_REG, extra));
        TestVirtqueue q = device.request();
        q.submit(List.of(Buf.in(extra.gpa, 8), Buf.out(DATA, 64)));
        assertTrue(q.awaitUsed(1, TestFrontend.TIMEOUT_MILLIS));
        assertEquals(13, q.usedLen(0));
        assertEquals(0, device.frontend.memReg(VHOST_USER_REM_MEM_REG, extra));
        q.submit(List.of(Buf.in(extra.gpa, 8), Buf.out(DATA, 64)));
        assertTrue(q.awaitUsed(2, TestFrontend.TIMEOUT_MILLIS));
        assertEquals(0, q.usedLen(1), "returned unread: its memory is gone");
        device.assertRoundTrip("still fine");
    }

    @Test
    void failingHandlerCostsOnlyItsChain() throws Exception {
        startBackend(BackendOptions.defaults(), (readable, writable) -> {
            if (requestCalls.getAndIncrement() == 0) {
                throw new IllegalStateException("provider bug");
            }
            return echo.handle(readable, writable);
        });
        Device device = new Device(1).start(ALL_FEATURES);
        device.submit("boom", DATA);
        assertTrue(device.request().awaitUsed(1, TestFrontend.TIMEOUT_MILLIS));
        assertEquals(0, device.request().usedLen(0));
        device.assertRoundTrip("after the failure");
    }

    @Test
    void resetOwnerStopsTheQueuesUntilTheyAreSetUpAgain() throws Exception {
        startBackend();
        Device device = new Device(1).start(ALL_FEATURES);
        device.assertRoundTrip("before reset");
        device.frontend.send(VHOST_USER_RESET_OWNER, VHOST_USER_VERSION, TestFrontend.payload(0));
        device.frontend.getU64(VHOST_USER_GET_FEATURES); // a barrier: the reset has been handled
        device.submit("while reset", DATA);
        assertFalse(device.request().awaitUsed(2, 300));
        device.frontend.setU64(VHOST_USER_SET_FEATURES, ALL_FEATURES);
        device.frontend.startQueue(device.request(), 1);
        assertTrue(device.request().awaitUsed(2, TestFrontend.TIMEOUT_MILLIS));
    }

    @Test
    void stopRemovesTheSocketAndAStaleSocketIsReplaced() throws Exception {
        startBackend();
        backend.stop();
        assertFalse(Files.exists(dir.resolve("vhost.sock")));
        int stale = Sockets.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
        Sockets.bind(stale, socket); // a socket file left by a killed daemon
        Io.close(stale);
        startBackend();
        new Device(1).start(ALL_FEATURES).assertRoundTrip("after restart");
    }

    /**
     * A second backend given a path another one serves fails, naming the first one's pid in the
     * lock file beside the socket, and the first goes on serving; once it stops, the path is free.
     * Until 2026-12-08 the second replaced the live socket.
     */
    @Test
    void aSocketServedByAnotherBackendIsNotTakenOver() throws Exception {
        startBackend();
        Path pidFile = dir.resolve("vhost.sock.pid");
        assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(pidFile));
        IOException refused = assertThrows(IOException.class,
                () -> VhostUserBackend.listen(socket, BackendOptions.defaults(), echo, forget));
        assertEquals("cannot listen on " + socket + ": another daemon (pid " + ProcessHandle.current().pid()
                + ") serves it (it holds " + pidFile + "): stop that one first, or use another socket path",
                refused.getMessage());
        new Device(1).start(ALL_FEATURES).assertRoundTrip("the first backend, still serving");
        backend.stop();
        assertFalse(Files.exists(pidFile), "removed with the socket");
        startBackend();
        assertTrue(Files.exists(pidFile));
    }

    /** A socket another program listens on (it keeps no pid file) is not taken over either. */
    @Test
    void aSocketAnotherProgramListensOnIsNotTakenOver() throws Exception {
        socket = dir.resolve("vhost.sock").toString();
        int other = Sockets.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
        try {
            Sockets.bind(other, socket);
            Sockets.listen(other, 1);
            IOException refused = assertThrows(IOException.class,
                    () -> VhostUserBackend.listen(socket, BackendOptions.defaults(), echo, forget));
            assertEquals("cannot listen on " + socket + ": it is in use by another process", refused.getMessage());
            assertTrue(Files.exists(dir.resolve("vhost.sock")), "the other program keeps its socket");
            assertFalse(Files.exists(dir.resolve("vhost.sock.pid")), "the pid file goes with the refusal");
        } finally {
            Io.close(other);
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverDeleted() throws Exception {
        Path file = Files.writeString(dir.resolve("vhost.sock"), "precious");
        assertThrows(IOException.class, () -> startBackend());
        backend = null;
        assertEquals("precious", Files.readString(file));
    }

    @Test
    void inheritedListeningFdIsServed() throws Exception {
        socket = dir.resolve("inherited.sock").toString();
        int fd = Sockets.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC, 0);
        Sockets.bind(fd, socket);
        Sockets.listen(fd, 1);
        backend = VhostUserBackend.serve(fd, BackendOptions.defaults(), echo, forget);
        new Device(1).start(ALL_FEATURES).assertRoundTrip("libvirt --fd");
    }

    /** A device whose request queue got NUM, ADDR and KICK but no SET_VRING_ENABLE. */
    private Device requestQueueWithoutEnable(long features) throws Exception {
        Device device = new Device(1);
        TestFrontend frontend = device.frontend;
        frontend.setU64(VHOST_USER_SET_FEATURES, frontend.realize(device.queues, device.errFds) & features);
        assertEquals(0, frontend.memReg(VHOST_USER_ADD_MEM_REG, device.ram));
        TestVirtqueue q = device.request();
        frontend.vringState(VHOST_USER_SET_VRING_NUM, 1, q.size);
        frontend.setVringAddr(q);
        frontend.vringFd(VHOST_USER_SET_VRING_KICK, 1, q.kickFd);
        return device;
    }

    interface Step {
        void run() throws Exception;
    }

    static void uncheck(Step step) {
        try {
            step.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TestFrontend.TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}

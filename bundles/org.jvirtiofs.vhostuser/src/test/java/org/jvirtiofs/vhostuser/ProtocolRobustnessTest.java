package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.junit.jupiter.api.Test;

/** Frontends that break the protocol lose their connection (or their request), never the backend. */
class ProtocolRobustnessTest extends BackendTestBase {

    private TestFrontend negotiated() throws Exception {
        TestFrontend frontend = track(new TestFrontend(socket));
        frontend.getU64(VHOST_USER_GET_FEATURES);
        frontend.setU64(VHOST_USER_SET_PROTOCOL_FEATURES, TestFrontend.PROTOCOL);
        return frontend;
    }

    private static ByteBuffer header(int request, int flags, int size) {
        return ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(request).putInt(flags).putInt(size).flip();
    }

    @Test
    void shortHeaderFollowedByCloseIsDropped() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.sendRaw(ByteBuffer.wrap(new byte[] {1, 0, 0, 0, 1, 0}));
        frontend.close();
        assertNewFrontendIsServed();
    }

    @Test
    void payloadSizeTooLargeDropsTheConnection() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.sendRaw(header(VHOST_USER_SET_FEATURES, VHOST_USER_VERSION, 1 << 20));
        assertTrue(frontend.closedByBackend());
        assertNewFrontendIsServed();
    }

    @Test
    void wrongPayloadSizeForItsTypeDropsTheConnection() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.send(VHOST_USER_SET_VRING_NUM, VHOST_USER_VERSION, TestFrontend.payload(4).putInt(0, 1));
        assertTrue(frontend.closedByBackend());
        assertNewFrontendIsServed();
    }

    @Test
    void headerWithGarbageFlagsDropsTheConnection() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.sendRaw(header(VHOST_USER_GET_FEATURES, 0x6, 0)); // version 2, reply bit
        assertTrue(frontend.closedByBackend());
        assertNewFrontendIsServed();
    }

    @Test
    void moreThanEightFdsDropTheConnection() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        int[] fds = new int[9];
        for (int i = 0; i < fds.length; i++) {
            fds[i] = Memory.eventfd(0, MemFlags.EFD_CLOEXEC);
        }
        try {
            frontend.send(VHOST_USER_SET_MEM_TABLE, VHOST_USER_VERSION, TestFrontend.payload(8 + 32 * 8).putInt(0, 8), fds);
        } finally {
            for (int fd : fds) {
                Io.close(fd);
            }
        }
        assertTrue(frontend.closedByBackend());
        assertNewFrontendIsServed();
    }

    @Test
    void unknownRequestWithNeedReplyIsAckedWithAnError() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.send(99, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, TestFrontend.payload(8));
        assertNotEquals(0, frontend.replyTo(99).u64());
        assertEquals(ALL_FEATURES, frontend.getU64(VHOST_USER_GET_FEATURES), "connection still serves");
    }

    @Test
    void unknownRequestWithoutNeedReplyIsIgnored() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        frontend.send(VHOST_USER_SET_LOG_BASE, VHOST_USER_VERSION, TestFrontend.payload(16));
        frontend.send(12345, VHOST_USER_VERSION, TestFrontend.payload(0));
        assertEquals(ALL_FEATURES, frontend.getU64(VHOST_USER_GET_FEATURES), "the next reply is GET_FEATURES'");
    }

    @Test
    void queueSizeThatIsNotAPowerOfTwoIsRefused() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        assertNotEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_NUM, 1, 100));
        assertNotEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_NUM, 1, 65536));
        assertNotEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_NUM, 1, 0));
        assertEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_NUM, 1, 256));
    }

    @Test
    void vringIndexBeyondTheQueuesIsRefused() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        assertNotEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_NUM, 2, 128));
        assertNotEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_ENABLE, -1, 1));
        assertEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_ENABLE, 0, 1));
    }

    @Test
    void memoryRegionLargerThanItsFileIsRefusedInsteadOfFaulting() throws Exception {
        startBackend();
        TestFrontend frontend = negotiated();
        TestGuestMemory small = track(new TestGuestMemory(0, 1L << 20, 0x7f00_0000_0000L));
        TestGuestMemory claimed = track(new TestGuestMemory(0, 1L << 20, 0x7f00_0000_0000L));
        ByteBuffer region = TestFrontend.payload(40).putLong(8, 0).putLong(16, 64L << 20).putLong(24, claimed.uaddr);
        frontend.send(VHOST_USER_ADD_MEM_REG, VHOST_USER_VERSION | VHOST_USER_NEED_REPLY_MASK, region, small.fd);
        assertNotEquals(0, frontend.replyTo(VHOST_USER_ADD_MEM_REG).u64());
        assertEquals(0, frontend.memReg(VHOST_USER_ADD_MEM_REG, small));
        assertNotEquals(0, frontend.memReg(VHOST_USER_ADD_MEM_REG, claimed), "overlapping region");
    }

    @Test
    void frontendVanishingMidRequestIsCleanedUpAfterTheHandlerReturns() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startBackend(BackendOptions.defaults(), (readable, writable) -> {
            if (inside.getCount() > 0) {
                inside.countDown();
                await(release);
            }
            return echo.handle(readable, writable);
        });
        Device device = new Device(1).start(ALL_FEATURES);
        device.submit("pending", DATA);
        assertTrue(inside.await(5, TimeUnit.SECONDS));
        device.frontend.close(); // QEMU killed while the chain is in the handler
        Thread.sleep(100);
        release.countDown();
        assertTrue(VhostUserBackendTest.waitFor(() -> !backend.status().connected()));
        assertNewFrontendIsServed();
    }

    @Test
    void handlerStuckPastTheStopTimeoutDoesNotBlockTheNextFrontend() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        startBackend(new BackendOptions(1, 0, 32, 200), (readable, writable) -> {
            if (inside.getCount() > 0) {
                inside.countDown();
                await(release);
            }
            return echo.handle(readable, writable);
        });
        try {
            Device device = new Device(1).start(ALL_FEATURES);
            device.submit("stuck", DATA);
            assertTrue(inside.await(5, TimeUnit.SECONDS));
            device.frontend.close();
            assertNewFrontendIsServed(); // the stuck queue's memory is leaked, not unmapped under it
        } finally {
            release.countDown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

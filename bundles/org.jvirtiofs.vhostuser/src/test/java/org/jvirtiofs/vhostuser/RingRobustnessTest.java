package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PollFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.TestVirtqueue.Buf;
import org.junit.jupiter.api.Test;

/** Guests that corrupt their rings lose that chain or that queue, never the backend. */
class RingRobustnessTest extends BackendTestBase {

    private Device device;

    private TestVirtqueue started() throws Exception {
        startBackend();
        device = new Device(1).start(ALL_FEATURES);
        return device.request();
    }

    /** The chain came back used with length 0, the handler never saw it, and the queue still serves. */
    private void assertReturnedUnread(TestVirtqueue q) throws Exception {
        assertTrue(q.awaitUsed(1, TestFrontend.TIMEOUT_MILLIS));
        assertEquals(0, q.usedLen(0));
        assertEquals(0, requestCalls.get());
        assertEquals(1, backend.status().chainErrors());
        device.assertRoundTrip("next chain is fine");
    }

    @Test
    void descriptorOutsideGuestMemoryReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        q.submit(List.of(Buf.in(RAM_GPA + RAM_SIZE - 8, 16), Buf.out(DATA, 64)));
        assertReturnedUnread(q);
    }

    @Test
    void descriptorAtAnOverflowingAddressReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        q.submit(List.of(Buf.in(-8L, 64), Buf.out(DATA, 64)));
        assertReturnedUnread(q);
    }

    @Test
    void descriptorLoopIsCutAndTheChainReturnedUnread() throws Exception {
        TestVirtqueue q = started();
        q.descriptor(0, DATA, 16, TestVirtqueue.NEXT, 1);
        q.descriptor(1, DATA + 16, 16, TestVirtqueue.NEXT, 0); // back to the head
        q.publish(0);
        q.kick();
        assertReturnedUnread(q);
    }

    @Test
    void nextIndexBeyondTheTableReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        q.descriptor(0, DATA, 16, TestVirtqueue.NEXT, QUEUE_SIZE + 3);
        q.publish(0);
        q.kick();
        assertReturnedUnread(q);
    }

    @Test
    void readableAfterWritableReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        q.submit(List.of(Buf.out(DATA, 64), Buf.in(DATA + 0x100, 16)));
        assertReturnedUnread(q);
    }

    @Test
    void nestedIndirectTableReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        int at = device.ram.at(DATA + 0x8000);
        device.ram.ram.putLong(at, DATA + 0x9000).putInt(at + 8, 16).putShort(at + 12, (short) TestVirtqueue.INDIRECT);
        q.descriptor(0, DATA + 0x8000, 16, TestVirtqueue.INDIRECT, 0);
        q.publish(0);
        q.kick();
        assertReturnedUnread(q);
    }

    @Test
    void indirectTableOutsideGuestMemoryReturnsTheChainUnread() throws Exception {
        TestVirtqueue q = started();
        q.descriptor(0, 0x10, 32, TestVirtqueue.INDIRECT, 0);
        q.publish(0);
        q.kick();
        assertReturnedUnread(q);
    }

    @Test
    void availIndexRunningAheadOfTheRingStopsTheQueueAndSignalsErr() throws Exception {
        TestVirtqueue q = started();
        q.publishAvailIdx(QUEUE_SIZE + 5);
        q.kick();
        assertTrue(errSignalled(1), "err eventfd signalled");
        device.frontend.close();
        assertNewFrontendIsServed();
    }

    @Test
    void headIndexBeyondTheQueueStopsTheQueueAndSignalsErr() throws Exception {
        TestVirtqueue q = started();
        q.publish(QUEUE_SIZE + 1);
        q.kick();
        assertTrue(errSignalled(1), "err eventfd signalled");
        device.frontend.close();
        assertNewFrontendIsServed();
    }

    @Test
    void ringAddressesOutsideGuestMemoryKeepTheQueueStopped() throws Exception {
        startBackend();
        device = new Device(1);
        TestFrontend frontend = device.frontend;
        frontend.setU64(VHOST_USER_SET_FEATURES, frontend.realize(device.queues, device.errFds));
        assertEquals(0, frontend.memReg(VHOST_USER_ADD_MEM_REG, device.ram));
        frontend.vringState(VHOST_USER_SET_VRING_NUM, 1, QUEUE_SIZE);
        frontend.send(VHOST_USER_SET_VRING_ADDR, VHOST_USER_VERSION, TestFrontend.payload(40).putInt(0, 1)
                .putLong(8, 0x1000).putLong(16, RAM_UADDR + RAM_SIZE - 8).putLong(24, RAM_UADDR + 1));
        frontend.vringFd(VHOST_USER_SET_VRING_KICK, 1, device.request().kickFd);
        assertEquals(0, frontend.vringStateAcked(VHOST_USER_SET_VRING_ENABLE, 1, 1));
        assertTrue(errSignalled(1), "err eventfd signalled");
        frontend.close();
        assertNewFrontendIsServed();
    }

    private boolean errSignalled(int queue) throws PosixException {
        int[] revents = new int[1];
        return Io.poll(new int[] {device.errFds[queue]}, new int[] {PollFlags.POLLIN}, revents,
                TestFrontend.TIMEOUT_MILLIS) == 1;
    }
}

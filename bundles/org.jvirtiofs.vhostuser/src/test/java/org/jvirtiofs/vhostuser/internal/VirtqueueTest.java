package org.jvirtiofs.vhostuser.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VirtqueueTest {

    @Test
    void vringNeedEventFiresWhenUsedEventLiesInTheNewRange() {
        assertTrue(Virtqueue.vringNeedEvent(0, 1, 0));
        assertFalse(Virtqueue.vringNeedEvent(2, 2, 1), "used_event 2 is passed only by idx 3");
        assertTrue(Virtqueue.vringNeedEvent(2, 3, 2));
        assertTrue(Virtqueue.vringNeedEvent(5, 9, 3), "a batch spanning used_event");
        assertFalse(Virtqueue.vringNeedEvent(9, 9, 3));
    }

    @Test
    void vringNeedEventWrapsAround16Bits() {
        assertTrue(Virtqueue.vringNeedEvent(0xffff, 0, 0xffff));
        assertTrue(Virtqueue.vringNeedEvent(0xfffe, 1, 0xfffd));
        assertFalse(Virtqueue.vringNeedEvent(2, 1, 0xffff));
    }

    @Test
    void queueSizesArePowersOfTwoUpTo32768() {
        assertTrue(Virtqueue.validSize(1));
        assertTrue(Virtqueue.validSize(1024));
        assertTrue(Virtqueue.validSize(32768));
        assertFalse(Virtqueue.validSize(0));
        assertFalse(Virtqueue.validSize(100));
        assertFalse(Virtqueue.validSize(65536));
    }
}

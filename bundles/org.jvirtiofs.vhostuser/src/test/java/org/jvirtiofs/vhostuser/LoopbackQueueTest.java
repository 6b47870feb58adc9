package org.jvirtiofs.vhostuser;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class LoopbackQueueTest {

    /** Copies the request, upper-cased, into the reply room; the used length is the request's. */
    private static int upperCase(ByteBuffer[] readable, ByteBuffer[] writable) {
        ByteBuffer in = readable[0];
        ByteBuffer out = writable[0];
        int n = in.remaining();
        for (int i = 0; i < n; i++) {
            out.put(out.position() + i, (byte) Character.toUpperCase(in.get(in.position() + i)));
        }
        return n;
    }

    private static ByteBuffer ascii(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String text(ByteBuffer reply) {
        byte[] b = new byte[reply.remaining()];
        reply.duplicate().get(b);
        return new String(b, StandardCharsets.US_ASCII);
    }

    @Test
    void eachCallIsServedThroughTheRingAndItsReplyComesBack() throws Exception {
        try (LoopbackQueue q = LoopbackQueue.open(LoopbackQueueTest::upperCase, 64, 64, "loopback-test")) {
            // more calls than the ring has entries: the indices wrap
            for (int i = 0; i < 20; i++) {
                ByteBuffer reply = q.call(ascii("request " + i), 5_000);
                assertEquals("REQUEST " + i, text(reply));
                assertTrue(reply.isReadOnly());
            }
        }
    }

    @Test
    void theHandlerSeesOneReadableSegmentWithTheRequestAndTheWholeReplyRoom() throws Exception {
        int[] seen = new int[4];
        RequestHandler handler = (readable, writable) -> {
            seen[0] = readable.length;
            seen[1] = readable[0].remaining();
            seen[2] = writable.length;
            seen[3] = writable[0].remaining();
            return 0;
        };
        try (LoopbackQueue q = LoopbackQueue.open(handler, 100, 5000, "loopback-test")) {
            ByteBuffer request = ByteBuffer.allocate(30);
            request.position(7); // only what remains is sent
            assertEquals(0, q.call(request, 5_000).remaining());
            assertArrayEquals(new int[] {1, 23, 1, 5000}, seen);
            assertEquals(7, request.position());
        }
    }

    @Test
    void aChainOfSeveralSegmentsArrivesCutAsAskedAndItsReplyIsContiguous() throws Exception {
        StringBuilder seen = new StringBuilder();
        RequestHandler handler = (readable, writable) -> {
            seen.setLength(0);
            for (ByteBuffer b : readable) {
                seen.append(text(b)).append('|');
            }
            seen.append(" w");
            int n = 0;
            for (ByteBuffer b : writable) {
                seen.append(' ').append(b.remaining());
                for (int i = 0; i < b.remaining(); i++) {
                    b.put(b.position() + i, (byte) ('a' + n++ % 26));
                }
            }
            return n - 1; // all but the last byte
        };
        try (LoopbackQueue q = LoopbackQueue.open(handler, 64, 64, "loopback-test")) {
            ByteBuffer reply = q.call(ascii("header+args+page1page2"), new int[] {6, 5, 5, 6}, new int[] {3, 4, 5},
                5_000);
            assertEquals("header|+args|+page|1page2| w 3 4 5", seen.toString());
            assertEquals("abcdefghijk", text(reply));
            // one segment alone goes in the ring itself, not in an indirect table (a FORGET)
            assertEquals(0, q.call(ascii("forget"), new int[] {6}, new int[0], 5_000).remaining());
            assertEquals("forget| w", seen.toString());
        }
    }

    @Test
    void segmentsThatDoNotFitTheRequestOrTheRoomAreRefused() throws Exception {
        try (LoopbackQueue q = LoopbackQueue.open(LoopbackQueueTest::upperCase, 64, 64, "loopback-test")) {
            assertEquals("readable segments of 4 bytes for a request of 5", assertThrows(IllegalArgumentException.class,
                () -> q.call(ascii("hello"), new int[] {2, 2}, new int[] {8}, 1_000)).getMessage());
            assertEquals("writable segments of 65 bytes exceed the room of 64", assertThrows(
                IllegalArgumentException.class,
                () -> q.call(ascii("hello"), new int[] {5}, new int[] {60, 5}, 1_000)).getMessage());
            assertEquals("a segment of 0 bytes", assertThrows(IllegalArgumentException.class,
                () -> q.call(ascii("hello"), new int[] {5, 0}, new int[] {8}, 1_000)).getMessage());
            assertEquals("a chain has 1..64 segments, not 65", assertThrows(IllegalArgumentException.class,
                () -> q.call(ascii("hello"), new int[] {5}, new int[64], 1_000)).getMessage());
            assertEquals("HELLO", text(q.call(ascii("hello"), 5_000)));
        }
    }

    @Test
    void aFailingHandlerCostsItsChainAndTheQueueGoesOn() throws Exception {
        RequestHandler handler = (readable, writable) -> {
            if (readable[0].get(readable[0].position()) == 'x') {
                throw new IllegalStateException("a provider's bug");
            }
            return upperCase(readable, writable);
        };
        try (LoopbackQueue q = LoopbackQueue.open(handler, 64, 64, "loopback-test")) {
            assertEquals(0, q.call(ascii("x marks it"), 5_000).remaining());
            assertEquals("FINE", text(q.call(ascii("fine"), 5_000)));
        }
    }

    @Test
    void aHandlerThatDoesNotReturnTimesTheCallOutAndCloseStillReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        RequestHandler handler = (readable, writable) -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        };
        LoopbackQueue q = LoopbackQueue.open(handler, 64, 64, "loopback-stuck");
        assertThrows(TimeoutException.class, () -> q.call(ascii("hello"), 200));
        release.countDown();
        q.close();
        assertFalse(threadNamed("loopback-stuck"));
        assertThrows(IllegalStateException.class, () -> q.call(ascii("again"), 200));
    }

    @Test
    void closeStopsTheWorkerThread() throws Exception {
        LoopbackQueue q = LoopbackQueue.open(LoopbackQueueTest::upperCase, 64, 64, "loopback-closing");
        q.call(ascii("once"), 5_000);
        assertTrue(threadNamed("loopback-closing"));
        q.close();
        q.close(); // twice is harmless
        assertFalse(threadNamed("loopback-closing"));
    }

    @Test
    void requestsLargerThanTheRoomAndRoomsOutOfRangeAreRefused() throws Exception {
        try (LoopbackQueue q = LoopbackQueue.open(LoopbackQueueTest::upperCase, 8, 8, "loopback-test")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.call(ascii("nine bytes"), 1_000));
            assertTrue(e.getMessage().contains("exceeds the room of 8"), e.getMessage());
            assertEquals("FITS", text(q.call(ascii("fits"), 5_000)));
        }
        assertThrows(IllegalArgumentException.class,
            () -> LoopbackQueue.open(LoopbackQueueTest::upperCase, 0, 8, "loopback-test"));
        assertThrows(IllegalArgumentException.class,
            () -> LoopbackQueue.open(LoopbackQueueTest::upperCase, 8, LoopbackQueue.MAX_ROOM + 1, "loopback-test"));
    }

    private static boolean threadNamed(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }
}

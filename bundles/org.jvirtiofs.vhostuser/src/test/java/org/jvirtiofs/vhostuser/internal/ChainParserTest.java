package org.jvirtiofs.vhostuser.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Chains parsed one after another into the same {@link DescriptorChain}, as an inline queue
 * worker does: the reused views must show exactly each new chain's bytes.
 */
class ChainParserTest {
    private static final long WINDOW = 4096;
    private static final int QUEUE_SIZE = 16;
    /** Guest memory: 4 windows; the descriptor table in window 0, buffers in windows 1-3. */
    private static final long SIZE = 4 * WINDOW;

    private MemoryRegion region;
    private GuestMemory memory;
    private ChainParser parser;

    @BeforeEach
    void map() throws Exception {
        int fd = Memory.memfdCreate("chain-parser-test", MemFlags.MFD_CLOEXEC);
        try {
            Io.ftruncate(fd, SIZE);
            region = MemoryRegion.map(0, SIZE, 0x7f00_0000_0000L, 0, fd, WINDOW);
        } finally {
            Io.close(fd);
        }
        memory = GuestMemory.EMPTY.with(region);
        for (long at = WINDOW; at < SIZE; at++) {
            memory.slice(at, 1).put(0, (byte) (at * 7));
        }
        parser = new ChainParser(memory, memory.slice(0, QUEUE_SIZE * 16), QUEUE_SIZE, true);
    }

    @AfterEach
    void unmap() throws Exception {
        region.unmap();
    }

    @Test
    void aReusedChainShowsEachNewChainsBytesAndKeepsItsViewsInTheSameWindow() {
        descriptor(0, WINDOW + 100, 40, VhostUser.VIRTQ_DESC_F_NEXT, 1);
        descriptor(1, WINDOW + 1000, 200, VhostUser.VIRTQ_DESC_F_WRITE, 0);
        descriptor(2, WINDOW + 300, 16, VhostUser.VIRTQ_DESC_F_NEXT, 3);
        descriptor(3, WINDOW + 2000, 64, VhostUser.VIRTQ_DESC_F_WRITE, 0);
        DescriptorChain chain = new DescriptorChain();

        assertSame(chain, parser.parse(0, chain));
        assertSegments(chain.readable(), WINDOW + 100, 40);
        assertSegments(chain.writable(), WINDOW + 1000, 200);
        assertEquals(200, chain.writableBytes());
        ByteBuffer firstRequest = chain.readable()[0];
        ByteBuffer[] firstArray = chain.readable();

        parser.parse(2, chain);
        assertEquals(2, chain.head());
        assertNull(chain.error());
        assertSegments(chain.readable(), WINDOW + 300, 16);
        assertSegments(chain.writable(), WINDOW + 2000, 64);
        assertEquals(64, chain.writableBytes());
        assertSame(firstRequest, chain.readable()[0], "same window: the view is re-pointed, not made again");
        assertSame(firstArray, chain.readable(), "same number of segments: the array is reused");
    }

    @Test
    void segmentsInOtherWindowsOrOfOtherCountsGetTheirOwnViews() {
        descriptor(0, WINDOW + 8, 8, 0, 0);
        descriptor(1, 2 * WINDOW + 8, 8, 0, 0);
        // across a window boundary: two segments from one descriptor
        descriptor(2, 3 * WINDOW - 10, 30, 0, 0);
        DescriptorChain chain = new DescriptorChain();

        parser.parse(0, chain);
        ByteBuffer first = chain.readable()[0];
        parser.parse(1, chain);
        assertNotSame(first, chain.readable()[0]);
        assertSegments(chain.readable(), 2 * WINDOW + 8, 8);
        parser.parse(2, chain);
        assertEquals(2, chain.readable().length);
        assertEquals(10, chain.readable()[0].remaining());
        assertEquals(20, chain.readable()[1].remaining());
        assertSegments(chain.readable(), 3 * WINDOW - 10, 30);
        parser.parse(0, chain);
        assertEquals(1, chain.readable().length);
        assertSegments(chain.readable(), WINDOW + 8, 8);
        assertEquals(0, chain.writable().length);
    }

    @Test
    void indirectTablesAreReadThroughAReusedView() {
        long table = 3 * WINDOW + 512;
        indirectDescriptor(table, 0, WINDOW + 64, 24, VhostUser.VIRTQ_DESC_F_NEXT, 1);
        indirectDescriptor(table, 1, WINDOW + 512, 100, VhostUser.VIRTQ_DESC_F_WRITE, 0);
        descriptor(0, table, 32, VhostUser.VIRTQ_DESC_F_INDIRECT, 0);
        descriptor(1, table, 16, VhostUser.VIRTQ_DESC_F_INDIRECT, 0);
        DescriptorChain chain = new DescriptorChain();

        parser.parse(0, chain);
        assertNull(chain.error());
        assertSegments(chain.readable(), WINDOW + 64, 24);
        assertSegments(chain.writable(), WINDOW + 512, 100);
        // the same table cut to one entry, whose NEXT now points past it
        parser.parse(1, chain);
        assertTrue(chain.error().contains("beyond a table of 1"), chain.error());
        assertEquals(0, chain.readable().length + chain.writable().length);
        parser.parse(0, chain);
        assertNull(chain.error(), "an error leaves nothing behind for the next chain");
        assertSegments(chain.readable(), WINDOW + 64, 24);
    }

    @Test
    void aBrokenChainAfterAGoodOneHasNoSegments() {
        descriptor(0, WINDOW, 8, VhostUser.VIRTQ_DESC_F_NEXT, 1);
        descriptor(1, SIZE - 4, 8, 0, 0); // past the end of guest memory
        descriptor(2, WINDOW, 8, 0, 0);
        DescriptorChain chain = new DescriptorChain();

        parser.parse(2, chain);
        parser.parse(0, chain);
        assertTrue(chain.error().contains("outside guest memory"), chain.error());
        assertEquals(0, chain.readable().length);
        assertEquals(0, chain.usedLength(100));
    }

    /** Each segment's position..limit holds the guest bytes from {@code gpa} on, in order. */
    private void assertSegments(ByteBuffer[] segments, long gpa, int length) {
        byte[] expected = new byte[length];
        for (int i = 0; i < length; i++) {
            expected[i] = (byte) ((gpa + i) * 7);
        }
        byte[] actual = new byte[length];
        int at = 0;
        for (ByteBuffer segment : segments) {
            assertEquals(ByteOrder.LITTLE_ENDIAN, segment.order());
            int n = segment.remaining();
            segment.duplicate().get(actual, at, n);
            at += n;
        }
        assertEquals(length, at, "segment lengths");
        assertArrayEquals(expected, actual);
    }

    private void descriptor(int index, long addr, int len, int flags, int next) {
        write(memory.slice(0, QUEUE_SIZE * 16), index, addr, len, flags, next);
    }

    private void indirectDescriptor(long table, int index, long addr, int len, int flags, int next) {
        write(memory.slice(table, 16 * (index + 1)), index, addr, len, flags, next);
    }

    private static void write(ByteBuffer table, int index, long addr, int len, int flags, int next) {
        table.putLong(index * 16, addr).putInt(index * 16 + 8, len).putShort(index * 16 + 12, (short) flags)
                .putShort(index * 16 + 14, (short) next);
    }
}

package org.jvirtiofs.vhostuser.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any descriptor table, avail ring and indirect tables a guest can write: the walker either gives
 * chains whose every segment lies in guest memory and whose lengths add up, or a chain error (used
 * with length 0), or stops the queue with BrokenRingException; nothing else is thrown, every walk
 * ends, and the used ring stays inside its bounds.
 *
 * <p>Guest memory is two regions of a real memfd, the second split across small mapping windows,
 * so descriptors can point across a region's end or a window's edge.
 */
class VirtqueueFuzzTest {
    private static final int QUEUE_SIZE = 16;
    private static final long LOW_GPA = 0x1000;
    private static final long LOW_SIZE = 0x4000;
    private static final long HIGH_GPA = 0x10_0000;
    private static final long HIGH_SIZE = 0x4000;
    private static final long DESC = LOW_GPA;
    private static final long AVAIL = LOW_GPA + 0x400;
    private static final long USED = LOW_GPA + 0x800;
    private static final long UADDR = 0x7f00_0000_0000L;

    private static int memfd;
    private static int callFd;
    private static MemoryRegion low;
    private static MemoryRegion high;
    private static GuestMemory memory;
    private static EventSignal call;

    @BeforeAll
    static void map() throws Exception {
        memfd = Memory.memfdCreate("fuzz-guest", MemFlags.MFD_CLOEXEC);
        Io.ftruncate(memfd, LOW_SIZE + HIGH_SIZE);
        low = MemoryRegion.map(LOW_GPA, LOW_SIZE, UADDR, 0, memfd, 1 << 20);
        // the second region in windows of one page: segments split at every page
        high = MemoryRegion.map(HIGH_GPA, HIGH_SIZE, UADDR + LOW_SIZE, LOW_SIZE, memfd, 4096);
        memory = GuestMemory.of(List.of(low, high));
        callFd = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
        call = new EventSignal();
        call.replace(callFd);
    }

    @AfterAll
    static void unmap() throws PosixException {
        call.close();
        low.unmap();
        high.unmap();
        Io.close(memfd);
    }

    @FuzzTest(maxDuration = "60s")
    void walk(FuzzedDataProvider data) throws Exception {
        ByteBuffer lowView = low.mapping().windowFor(0).duplicate().order(ByteOrder.LITTLE_ENDIAN);
        // descriptors: mostly into the guest's memory, sometimes anywhere; flags and next as they come
        for (int i = 0; i < QUEUE_SIZE; i++) {
            long addr = switch (data.consumeInt(0, 3)) {
                case 0 -> LOW_GPA + data.consumeLong(0, LOW_SIZE);
                case 1, 2 -> HIGH_GPA + data.consumeLong(0, HIGH_SIZE);
                default -> data.consumeLong();
            };
            int at = (int) (DESC - LOW_GPA) + 16 * i;
            lowView.putLong(at, addr);
            lowView.putInt(at + 8, data.consumeBoolean() ? data.consumeInt(0, 0x3000) : data.consumeInt());
            lowView.putShort(at + 12, (short) data.consumeInt(0, 7));
            lowView.putShort(at + 14, (short) (data.consumeBoolean() ? data.consumeInt(0, QUEUE_SIZE) : data.consumeInt()));
        }
        // indirect tables live in the high region: let the fuzzer fill its first pages
        byte[] indirect = data.consumeBytes(0x2000);
        for (int i = 0; i < indirect.length; i++) {
            long at = LOW_SIZE + i; // the high region's bytes start there in its mapping
            high.mapping().windowFor(at).put(high.mapping().offsetInWindow(at), indirect[i]);
        }
        int base = data.consumeInt(0, 0xffff);
        int availIdx = data.consumeBoolean() ? (base + data.consumeInt(0, QUEUE_SIZE)) & 0xffff : data.consumeInt(0, 0xffff);
        int availOff = (int) (AVAIL - LOW_GPA);
        lowView.putShort(availOff, (short) data.consumeInt(0, 1));
        lowView.putShort(availOff + 2, (short) availIdx);
        for (int i = 0; i < QUEUE_SIZE; i++) {
            lowView.putShort(availOff + 4 + 2 * i, (short) (data.consumeBoolean() ? data.consumeInt(0, QUEUE_SIZE - 1)
                    : data.consumeInt(0, 0xffff)));
        }
        lowView.putShort(availOff + 4 + 2 * QUEUE_SIZE, (short) data.consumeInt(0, 0xffff)); // used_event
        int usedOff = (int) (USED - LOW_GPA);
        lowView.putShort(usedOff + 2, (short) data.consumeInt(0, 0xffff));
        long features = (data.consumeBoolean() ? 1L << VhostUser.VIRTIO_RING_F_INDIRECT_DESC : 0)
                | (data.consumeBoolean() ? 1L << VhostUser.VIRTIO_RING_F_EVENT_IDX : 0);

        Virtqueue queue = Virtqueue.open(memory, new VringAddresses(UADDR + (DESC - LOW_GPA), UADDR + (USED - LOW_GPA),
                UADDR + (AVAIL - LOW_GPA)), QUEUE_SIZE, base, features, call);
        try {
            for (int popped = 0; popped <= QUEUE_SIZE; popped++) {
                DescriptorChain chain = queue.pop();
                if (chain == null) {
                    break;
                }
                assertTrue(chain.head() >= 0 && chain.head() < QUEUE_SIZE, "head " + chain.head());
                if (chain.error() != null) {
                    assertEquals(0, chain.readable().length + chain.writable().length, chain.error());
                } else {
                    long writable = 0;
                    for (ByteBuffer segment : chain.writable()) {
                        writable += segment.remaining();
                        assertTrue(segment.isDirect() && !segment.isReadOnly(), "writable segment " + segment);
                    }
                    assertEquals(writable, chain.writableBytes(), "writable bytes");
                    for (ByteBuffer segment : chain.readable()) {
                        assertTrue(segment.isDirect(), "readable segment " + segment);
                    }
                    assertTrue(chain.readable().length + chain.writable().length <= QUEUE_SIZE * 2 * 4096,
                            "segments of one chain");
                }
                queue.complete(chain.head(), chain.usedLength(data.consumeInt()));
            }
            queue.rearm();
        } catch (BrokenRingException expected) {
            // the guest broke the ring itself: the queue stops, which is the answer
        }
        assertTrue(queue.lastAvailIdx() >= 0 && queue.lastAvailIdx() <= 0xffff);
    }
}

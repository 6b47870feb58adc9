package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.TestGuestMemory.U16;

import java.lang.invoke.VarHandle;
import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PollFlags;
import org.jvirtiofs.posix.PosixException;

/** The driver side of one split virtqueue, as the guest kernel would run it, in test memory. */
final class TestVirtqueue implements AutoCloseable {
    static final int NEXT = 1;
    static final int WRITE = 2;
    static final int INDIRECT = 4;

    /** One buffer of a chain: guest-physical address, length, device-writable or not. */
    record Buf(long gpa, int len, boolean write) {
        static Buf in(long gpa, int len) {
            return new Buf(gpa, len, false);
        }

        static Buf out(long gpa, int len) {
            return new Buf(gpa, len, true);
        }
    }

    final int index;
    final int size;
    final TestGuestMemory rings;
    final long desc;
    final long avail;
    final long used;
    final int kickFd;
    final int callFd;
    private int nextDesc;
    private int availIdx;

    TestVirtqueue(int index, int size, TestGuestMemory rings, long ringBase) throws PosixException {
        this.index = index;
        this.size = size;
        this.rings = rings;
        this.desc = ringBase;
        this.avail = ringBase + 16L * size;
        this.used = (avail + 6 + 2L * size + 4095) & ~4095L;
        this.kickFd = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
        this.callFd = Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC);
    }

    /** Writes descriptor {@code i} raw. */
    void descriptor(int i, long addr, int len, int flags, int next) {
        int at = rings.at(desc + 16L * i);
        rings.ram.putLong(at, addr).putInt(at + 8, len).putShort(at + 12, (short) flags).putShort(at + 14, (short) next);
    }

    /** Lays out a chain in consecutive descriptors and returns its head. */
    int chain(List<Buf> bufs) {
        int head = nextDesc;
        for (int i = 0; i < bufs.size(); i++) {
            Buf b = bufs.get(i);
            int d = (head + i) % size;
            boolean last = i == bufs.size() - 1;
            descriptor(d, b.gpa(), b.len(), (b.write() ? WRITE : 0) | (last ? 0 : NEXT), (d + 1) % size);
        }
        nextDesc = (head + bufs.size()) % size;
        return head;
    }

    /** Lays out an indirect table at {@code tableGpa} and one descriptor pointing at it; returns the head. */
    int indirectChain(TestGuestMemory tableMemory, long tableGpa, List<Buf> bufs) {
        for (int i = 0; i < bufs.size(); i++) {
            Buf b = bufs.get(i);
            int at = tableMemory.at(tableGpa + 16L * i);
            boolean last = i == bufs.size() - 1;
            tableMemory.ram.putLong(at, b.gpa()).putInt(at + 8, b.len())
                    .putShort(at + 12, (short) ((b.write() ? WRITE : 0) | (last ? 0 : NEXT))).putShort(at + 14, (short) (i + 1));
        }
        int head = nextDesc;
        descriptor(head, tableGpa, 16 * bufs.size(), INDIRECT, 0);
        nextDesc = (head + 1) % size;
        return head;
    }

    /** Puts {@code head} on the avail ring and publishes it (release), as virtqueue_add does. */
    void publish(int head) {
        rings.ram.putShort(rings.at(avail + 4 + 2L * (availIdx % size)), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
        U16.setRelease(rings.ram, rings.at(avail + 2), (short) availIdx);
        VarHandle.fullFence();
    }

    /** Publishes a raw avail idx (for broken-ring tests). */
    void publishAvailIdx(int idx) {
        availIdx = idx & 0xffff;
        U16.setRelease(rings.ram, rings.at(avail + 2), (short) availIdx);
    }

    void kick() throws PosixException {
        Memory.eventfdWrite(kickFd, 1);
    }

    /** Adds, publishes and kicks one chain; returns its head. */
    int submit(List<Buf> bufs) throws PosixException {
        int head = chain(bufs);
        publish(head);
        kick();
        return head;
    }

    /** Waits for the device's interrupt: true if the call eventfd fired within the timeout. */
    boolean awaitCall(int timeoutMillis) throws PosixException {
        int[] revents = new int[1];
        if (Io.poll(new int[] {callFd}, new int[] {PollFlags.POLLIN}, revents, timeoutMillis) == 0) {
            return false;
        }
        Memory.eventfdRead(callFd);
        return true;
    }

    /** Waits until the used idx reaches {@code idx}; true if it did within the timeout. */
    boolean awaitUsed(int idx, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (usedIdx() != (idx & 0xffff)) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    int usedIdx() {
        return Short.toUnsignedInt((short) U16.getAcquire(rings.ram, rings.at(used + 2)));
    }

    int usedId(int i) {
        return rings.ram.getInt(rings.at(used + 4 + 8L * (i % size)));
    }

    int usedLen(int i) {
        return rings.ram.getInt(rings.at(used + 8 + 8L * (i % size)));
    }

    int availEvent() {
        return Short.toUnsignedInt((short) U16.getAcquire(rings.ram, rings.at(used + 4 + 8L * size)));
    }

    void setUsedEvent(int idx) {
        U16.setRelease(rings.ram, rings.at(avail + 4 + 2L * size), (short) idx);
    }

    void setAvailFlags(int flags) {
        U16.setRelease(rings.ram, rings.at(avail), (short) flags);
    }

    @Override
    public void close() throws PosixException {
        Io.close(kickFd);
        Io.close(callFd);
    }
}

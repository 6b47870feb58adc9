package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.Scratch;

/** Shared memory: mmap of fds as ByteBuffer windows, memfd_create, and eventfd counters. */
public final class Memory {
    private static final long MAP_FAILED = -1L;

    private Memory() {
    }

    /** mmap(2) of {@code fd} from {@code offset}, with windows of at most 1 GiB. */
    public static MappedRegion mmap(long length, int prot, int flags, int fd, long offset) throws PosixException {
        return mmap(length, prot, flags, fd, offset, MappedRegion.DEFAULT_WINDOW_SIZE);
    }

    /** mmap(2) with windows of {@code windowSize} bytes; {@code fd} is -1 with MAP_ANONYMOUS. */
    public static MappedRegion mmap(long length, int prot, int flags, int fd, long offset, long windowSize)
            throws PosixException {
        if (length <= 0) {
            throw new IllegalArgumentException("length must be positive: " + length);
        }
        long address = Native.libc().mmap(0L, length, prot, flags, fd, offset);
        if (address == MAP_FAILED) {
            throw Native.error("mmap", fd);
        }
        return new MappedRegion(address, length, windowSize, windows(address, length, windowSize));
    }

    /** ByteBuffer views of [address, address+length) in consecutive pieces of {@code windowSize}. */
    static List<ByteBuffer> windows(long address, long length, long windowSize) {
        List<ByteBuffer> windows = new ArrayList<>((int) ((length + windowSize - 1) / windowSize));
        for (long start = 0; start < length; start += windowSize) {
            windows.add(Native.view(address + start, (int) Math.min(windowSize, length - start)));
        }
        return windows;
    }

    /** munmap(2) of a whole region; its buffers must not be touched afterwards. */
    public static void munmap(MappedRegion region) throws PosixException {
        if (Native.libc().munmap(region.address(), region.length()) < 0) {
            throw Native.error("munmap", Long.toHexString(region.address()));
        }
    }

    /** memfd_create(2) with {@link MemFlags} MFD_* flags: returns the fd (size 0; ftruncate it). */
    public static int memfdCreate(String name, int flags) throws PosixException {
        int fd = Native.libc().memfd_create(name, flags);
        if (fd < 0) {
            throw Native.error("memfd_create", name);
        }
        return fd;
    }

    /** eventfd(2) with {@link MemFlags} EFD_* flags: returns the fd. */
    public static int eventfd(int initialValue, int flags) throws PosixException {
        int fd = Native.early().eventfd(initialValue, flags);
        if (fd < 0) {
            throw Native.error("eventfd", null);
        }
        return fd;
    }

    /**
     * Reads the 8-byte eventfd counter: its value (resetting it to 0), or 1 with EFD_SEMAPHORE.
     * EAGAIN when the counter is 0 and the fd non-blocking.
     */
    public static long eventfdRead(int fd) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer value = scratch.struct(8);
        if (Native.early().read(fd, scratch.structAddress(0), 8) < 0) {
            throw Native.error("read", fd);
        }
        return value.getLong(0);
    }

    /** Adds {@code value} to the eventfd counter, waking its readers and pollers. */
    public static void eventfdWrite(int fd, long value) throws PosixException {
        Scratch scratch = Scratch.get();
        scratch.struct(8).putLong(0, value);
        if (Native.early().write(fd, scratch.structAddress(0), 8) < 0) {
            throw Native.error("write", fd);
        }
    }
}

package org.jvirtiofs.posix.jnr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Per-thread native memory for structs passed to the kernel, so a call allocates nothing.
 * Each call uses it only between entering and returning, never across calls.
 */
public final class Scratch {
    /** Bytes of {@link #struct()}: the largest user is file_handle (8 + 128) plus a mount id. */
    public static final int STRUCT_SIZE = 512;
    private static final int DIRENT_SIZE = 32 * 1024;
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private final ByteBuffer struct = ByteBuffer.allocateDirect(STRUCT_SIZE).order(ByteOrder.nativeOrder());
    private final long structAddress = Native.address(struct);
    private ByteBuffer array = ByteBuffer.allocateDirect(1024).order(ByteOrder.nativeOrder());
    private long arrayAddress = Native.address(array);
    private ByteBuffer dirents;

    private Scratch() {
    }

    /** This thread's scratch. */
    public static Scratch get() {
        return LOCAL.get();
    }

    /** The struct area, zeroed for its first {@code length} bytes (padding must be zero for openat2). */
    public ByteBuffer struct(int length) {
        for (int i = 0; i < length; i += 8) {
            struct.putLong(i, 0L);
        }
        return struct;
    }

    /** The address of the struct area plus an offset into it. */
    public long structAddress(int offset) {
        return structAddress + offset;
    }

    /** An area of at least {@code bytes} for arrays (iovecs, pollfds), grown on demand. */
    public ByteBuffer array(int bytes) {
        if (array.capacity() < bytes) {
            array = ByteBuffer.allocateDirect(Integer.highestOneBit(bytes) << 1).order(ByteOrder.nativeOrder());
            arrayAddress = Native.address(array);
        }
        return array;
    }

    /** The address of {@link #array(int)}'s memory; call after {@code array}. */
    public long arrayAddress() {
        return arrayAddress;
    }

    /** The buffer getdents64 fills. */
    public ByteBuffer dirents() {
        if (dirents == null) {
            dirents = ByteBuffer.allocateDirect(DIRENT_SIZE).order(ByteOrder.nativeOrder());
        }
        return dirents;
    }
}

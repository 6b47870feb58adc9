package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * An mmap(2)ed region seen as consecutive little-endian direct ByteBuffer windows of
 * {@code windowSize} bytes (the last may be shorter), since a ByteBuffer holds at most 2 GiB.
 * The buffers are dangling after {@link Memory#munmap}: drop them first.
 */
public record MappedRegion(long address, long length, long windowSize, List<ByteBuffer> windows) {

    /** Windows of at most 1 GiB. */
    public static final long DEFAULT_WINDOW_SIZE = 1L << 30;

    /** Keeps an unmodifiable copy of the window list. */
    public MappedRegion {
        if (windowSize <= 0 || windowSize > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window size out of range: " + windowSize);
        }
        windows = List.copyOf(windows);
    }

    /** The window holding byte {@code offset} of the region. */
    public ByteBuffer windowFor(long offset) {
        return windows.get(windowIndex(offset));
    }

    /** The index of the window holding byte {@code offset}. */
    public int windowIndex(long offset) {
        if (offset < 0 || offset >= length) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside a region of " + length);
        }
        return (int) (offset / windowSize);
    }

    /** Where byte {@code offset} of the region sits in its window. */
    public int offsetInWindow(long offset) {
        return (int) (offset % windowSize);
    }
}

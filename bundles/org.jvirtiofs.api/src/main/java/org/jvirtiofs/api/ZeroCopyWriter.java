package org.jvirtiofs.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The transport memory a READ reply's data goes into (guest memory, or a /dev/fuse buffer),
 * lent to the provider for the duration of one {@link FuseFilesystem#read} call.
 *
 * <p>The memory is handed out as direct {@link ByteBuffer}s that view it in place, so a provider
 * can preadv(2) straight into it: file to guest with no copy in between. Data counts only once
 * {@linkplain #commit(int) committed}, so a provider fills, commits what it filled, and may repeat.
 *
 * <p>The buffers, and this object, are valid only during the call that received them: never keep
 * them, hand them to another thread that outlives the call, or use them after committing. The
 * transport may unmap or reuse the memory as soon as the call returns.
 */
@ProviderType
public interface ZeroCopyWriter {

    /** How many more bytes this reply can take. */
    int remaining();

    /**
     * Views of the next {@code min(maxBytes, remaining())} bytes of reply memory, in order: the
     * bytes between each buffer's position and limit, with no gap between one buffer and the
     * next. The buffers are fresh duplicates, so moving their positions (as a copy into them
     * does) changes nothing; what counts is {@link #commit(int)}. Returns an empty array when
     * nothing remains.
     */
    ByteBuffer[] buffers(int maxBytes);

    /**
     * As {@link #buffers(int)}, for a provider that uses only each buffer's position and limit
     * (a preadv(2) of their remaining bytes, relative puts): the buffers may be views the
     * transport re-points for each call instead of fresh ones, so index 0 is not where the
     * reply's bytes start, and neither the buffers nor the array may be used after the next call
     * to this writer. A transport that can makes nothing per call; the default is
     * {@link #buffers(int)}.
     */
    default ByteBuffer[] positionedBuffers(int maxBytes) {
        return buffers(maxBytes);
    }

    /**
     * Declares that the first {@code bytes} of the memory last returned by {@link #buffers(int)}
     * (or {@link #positionedBuffers(int)}) now hold reply data, and advances past them.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or more than
     *     {@link #remaining()}
     */
    void commit(int bytes);

    /**
     * Copies as much of {@code src} as fits into the reply, advancing {@code src} and this
     * writer: the convenience for providers that hold data in memory.
     *
     * @return the number of bytes copied, 0 if the reply is full
     */
    default int write(ByteBuffer src) {
        int n = Math.min(src.remaining(), remaining());
        if (n == 0) {
            return 0;
        }
        ByteBuffer from = src.duplicate();
        for (ByteBuffer to : buffers(n)) {
            from.limit(from.position() + to.remaining());
            to.put(from);
        }
        src.position(src.position() + n);
        commit(n);
        return n;
    }
}

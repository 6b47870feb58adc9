package org.jvirtiofs.api;

import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The transport memory a WRITE request's payload sits in (guest memory, or a /dev/fuse buffer),
 * lent to the provider for the duration of one {@link FuseFilesystem#write} call.
 *
 * <p>The memory is handed out as direct {@link ByteBuffer}s that view it in place, so a provider
 * can pwritev(2) straight from it: guest to file with no copy in between. Bytes count as taken
 * once {@linkplain #consume(int) consumed}.
 *
 * <p>The buffers, and this object, are valid only during the call that received them: never keep
 * them, hand them to another thread that outlives the call, or use them after consuming. The
 * memory belongs to the guest, which may change it at any moment (it should not, but it can):
 * validate what you read once you have copied it, not before.
 */
@ProviderType
public interface ZeroCopyReader {

    /** How many payload bytes are left. */
    int remaining();

    /**
     * Views of the next {@code min(maxBytes, remaining())} payload bytes, in order: the bytes
     * between each buffer's position and limit, with no gap between one buffer and the next. The
     * buffers are fresh read-only duplicates, so moving their positions changes nothing; what
     * counts is {@link #consume(int)}. Returns an empty array when nothing remains.
     */
    ByteBuffer[] buffers(int maxBytes);

    /**
     * As {@link #buffers(int)}, for a provider that uses only each buffer's position and limit
     * (a pwritev(2) of their remaining bytes, relative gets): the read-only buffers may be views
     * the transport re-points for each call instead of fresh ones, so index 0 is not where the
     * payload starts, and neither the buffers nor the array may be used after the next call to
     * this reader. A transport that can makes nothing per call; the default is
     * {@link #buffers(int)}.
     */
    default ByteBuffer[] positionedBuffers(int maxBytes) {
        return buffers(maxBytes);
    }

    /**
     * Declares that the first {@code bytes} of the memory last returned by {@link #buffers(int)}
     * (or {@link #positionedBuffers(int)}) have been taken, and advances past them.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative or more than
     *     {@link #remaining()}
     */
    void consume(int bytes);

    /**
     * Copies as much payload as fits into {@code dst}, advancing {@code dst} and this reader: the
     * convenience for providers that keep data in memory.
     *
     * @return the number of bytes copied, 0 if no payload is left or {@code dst} is full
     */
    default int read(ByteBuffer dst) {
        int n = Math.min(dst.remaining(), remaining());
        if (n == 0) {
            return 0;
        }
        for (ByteBuffer from : buffers(n)) {
            dst.put(from);
        }
        consume(n);
        return n;
    }
}

package org.jvirtiofs.fs.memory;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A file's chunks by index, in index order: the indexes in a {@code long[]}, each chunk's buffer
 * beside its index. A lookup is a binary search and makes no object, where a {@code TreeMap}
 * boxes every index past 127 (every chunk past 8 MiB). Appending, the way files mostly grow, is
 * amortised constant time; adding or removing in the middle moves the entries after it, a copy
 * of 16 bytes per chunk (a 1 GiB file has 16,384).
 *
 * <p>Not thread-safe: guarded as the {@link FileData} that owns it.
 */
final class ChunkMap {
    private long[] indexes = new long[4];
    private ByteBuffer[] chunks = new ByteBuffer[4];
    private int size;

    /** How many chunks there are. */
    int size() {
        return size;
    }

    /** The chunk at {@code index}, or null for a hole. */
    ByteBuffer get(long index) {
        int at = Arrays.binarySearch(indexes, 0, size, index);
        return at >= 0 ? chunks[at] : null;
    }

    boolean contains(long index) {
        return Arrays.binarySearch(indexes, 0, size, index) >= 0;
    }

    /** The chunk at {@code index}, a new zeroed one of {@code chunkSize} bytes if there was none. */
    ByteBuffer getOrAdd(long index, int chunkSize) {
        int at = Arrays.binarySearch(indexes, 0, size, index);
        if (at >= 0) {
            return chunks[at];
        }
        int insert = -at - 1;
        if (size == indexes.length) {
            int grown = Math.max(4, size + (size >> 1));
            indexes = Arrays.copyOf(indexes, grown);
            chunks = Arrays.copyOf(chunks, grown);
        }
        System.arraycopy(indexes, insert, indexes, insert + 1, size - insert);
        System.arraycopy(chunks, insert, chunks, insert + 1, size - insert);
        ByteBuffer chunk = ByteBuffer.allocate(chunkSize);
        indexes[insert] = index;
        chunks[insert] = chunk;
        size++;
        return chunk;
    }

    /** How many chunks have an index in {@code [first, last]}. */
    int count(long first, long last) {
        return last < first ? 0 : firstAtOrAbove(last + 1) - firstAtOrAbove(first);
    }

    /** The smallest index above {@code index} that has a chunk, or -1 if none has. */
    long higher(long index) {
        int at = firstAtOrAbove(index + 1);
        return at < size ? indexes[at] : -1;
    }

    /** Removes the chunks with an index in {@code [from, to)}, and says how many there were. */
    int removeRange(long from, long to) {
        int start = firstAtOrAbove(from);
        int end = to <= from ? start : firstAtOrAbove(to);
        int removed = end - start;
        if (removed > 0) {
            System.arraycopy(indexes, end, indexes, start, size - end);
            System.arraycopy(chunks, end, chunks, start, size - end);
            Arrays.fill(chunks, size - removed, size, null);
            size -= removed;
        }
        return removed;
    }

    /** Removes every chunk. */
    void clear() {
        Arrays.fill(chunks, 0, size, null);
        size = 0;
    }

    /** The position of the first index at or above {@code index}: {@link #size} if none is. */
    private int firstAtOrAbove(long index) {
        int at = Arrays.binarySearch(indexes, 0, size, index);
        return at >= 0 ? at : -at - 1;
    }
}

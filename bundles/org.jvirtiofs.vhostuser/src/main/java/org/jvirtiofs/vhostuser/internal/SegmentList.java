package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One side of a descriptor chain (its readable or its writable segments) as views of guest
 * memory, refillable for the next chain: each slot keeps its view and re-points it (position and
 * limit) when the next segment in that slot lies in the same mapping window, so a queue that serves
 * its chains one at a time allocates nothing per chain once its slots are warm.
 */
final class SegmentList {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];
    /** Exact-length arrays are kept for chains of up to this many segments per side. */
    private static final int KEPT_LENGTHS = 8;

    private ByteBuffer[] views = new ByteBuffer[4];
    private ByteBuffer[] windows = new ByteBuffer[4];
    private final ByteBuffer[][] exact = new ByteBuffer[KEPT_LENGTHS + 1][];
    private int count;

    void clear() {
        count = 0;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    /** Segment {@code i} (below {@link #size}). */
    ByteBuffer get(int i) {
        return views[i];
    }

    /** Appends window bytes [from, from+length) as the next segment (its position..limit). */
    void add(ByteBuffer window, int from, int length) {
        if (count == views.length) {
            views = Arrays.copyOf(views, count * 2);
            windows = Arrays.copyOf(windows, count * 2);
        }
        ByteBuffer view = views[count];
        if (windows[count] != window) {
            view = window.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            views[count] = view;
            windows[count] = window;
        }
        view.limit(from + length).position(from);
        count++;
    }

    /** The segments, in an array of exactly their number; the array is reused by the next fill. */
    ByteBuffer[] toArray() {
        if (count == 0) {
            return NONE;
        }
        ByteBuffer[] out = count <= KEPT_LENGTHS ? exact[count] : null;
        if (out == null) {
            out = new ByteBuffer[count];
            if (count <= KEPT_LENGTHS) {
                exact[count] = out;
            }
        }
        System.arraycopy(views, 0, out, 0, count);
        return out;
    }
}

package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A cursor over a list of byte segments (each a buffer's position..limit) seen as one run of bytes.
 *
 * <p>Reads and writes only by absolute index, so the caller's buffers keep their positions and
 * limits: the transport still owns them. Little-endian buffers (what vhost-user hands over) are
 * used as they are; others are worked on through little-endian duplicates. A request may be
 * split at any byte (the guest can put a header and its arguments in different descriptors), so
 * every access handles a boundary, with a fast path when the bytes sit in one segment.
 */
final class Segments {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private ByteBuffer[] bufs = NONE;
    private int total;
    private int seg;
    private int idx;
    private int offset;
    /** Per segment index, duplicates made once per transport buffer: read-only, and writable to lend. */
    private final Duplicates readOnly = new Duplicates(true);
    private final Duplicates writable = new Duplicates(false);
    /** The arrays {@link #positionedViews} returns, by length. */
    private ByteBuffer[][] arrays = new ByteBuffer[0][];

    Segments(ByteBuffer[] src) {
        reset(src);
    }

    /** Starts over on {@code src}, which must not change while it is in use. */
    void reset(ByteBuffer[] src) {
        bufs = src;
        long sum = 0;
        for (int i = 0; i < src.length; i++) {
            if (src[i].order() != ByteOrder.LITTLE_ENDIAN) {
                if (bufs == src) {
                    bufs = src.clone();
                }
                bufs[i] = src[i].duplicate().order(ByteOrder.LITTLE_ENDIAN);
            }
            sum += src[i].remaining();
        }
        // Transports hand at most a few MiB per request; a sum beyond int is a caller bug.
        total = (int) Math.min(sum, Integer.MAX_VALUE);
        seek(0);
    }

    /** Total bytes across all segments. */
    int total() {
        return total;
    }

    /** The cursor's offset from the first byte. */
    int offset() {
        return offset;
    }

    /** Moves the cursor to {@code off} (0..total). */
    void seek(int off) {
        seg = 0;
        idx = bufs.length == 0 ? 0 : bufs[0].position();
        offset = 0;
        skipEmpty();
        advance(off);
    }

    /** Moves the cursor forward by {@code n} bytes, crossing segments. */
    void advance(int n) {
        int left = n;
        while (left > 0) {
            int step = Math.min(left, contiguous());
            if (step == 0) {
                throw new IllegalStateException("advance past the last segment");
            }
            idx += step;
            offset += step;
            left -= step;
            skipEmpty();
        }
    }

    /** Bytes left in the cursor's current segment. */
    int contiguous() {
        return seg < bufs.length ? bufs[seg].limit() - idx : 0;
    }

    /** The cursor's current segment (little-endian); use with {@link #index()}, never its position. */
    ByteBuffer current() {
        return bufs[seg];
    }

    /** The cursor's absolute index in {@link #current()}. */
    int index() {
        return idx;
    }

    byte get() {
        byte b = bufs[seg].get(idx);
        advance(1);
        return b;
    }

    void put(byte b) {
        bufs[seg].put(idx, b);
        advance(1);
    }

    /** Copies {@code len} bytes from the cursor into {@code dst} and advances. */
    void get(byte[] dst, int off, int len) {
        int done = 0;
        while (done < len) {
            int step = Math.min(len - done, contiguous());
            bufs[seg].get(idx, dst, off + done, step);
            done += step;
            advance(step);
        }
    }

    /** Copies {@code len} bytes of {@code src} to the cursor and advances. */
    void put(byte[] src, int off, int len) {
        int done = 0;
        while (done < len) {
            int step = Math.min(len - done, contiguous());
            bufs[seg].put(idx, src, off + done, step);
            done += step;
            advance(step);
        }
    }

    /**
     * Copies {@code len} bytes of {@code src}, from its index {@code from}, to the cursor and
     * advances; {@code src}'s position and limit stay as they are.
     */
    void put(ByteBuffer src, int from, int len) {
        int done = 0;
        while (done < len) {
            int step = Math.min(len - done, contiguous());
            bufs[seg].put(idx, src, from + done, step);
            done += step;
            advance(step);
        }
    }

    /**
     * Copies {@code len} bytes from the cursor into {@code dst}, at its index {@code at}, and
     * advances; {@code dst}'s position and limit stay as they are.
     */
    void get(ByteBuffer dst, int at, int len) {
        int done = 0;
        while (done < len) {
            int step = Math.min(len - done, contiguous());
            dst.put(at + done, bufs[seg], idx, step);
            done += step;
            advance(step);
        }
    }

    /**
     * Views of the next {@code len} bytes from the cursor, one slice per segment touched, without
     * moving the cursor. Slices of direct buffers are direct: they ARE the transport memory. They are
     * new slices, indexed from 0, for the provider: one that puts at index 0 writes where its
     * segment starts, whatever the transport's buffer positions are.
     */
    ByteBuffer[] views(int len, boolean readOnly) {
        ByteBuffer[] out = new ByteBuffer[walk(len, null, readOnly, false)];
        walk(len, out, readOnly, false);
        return out;
    }

    /**
     * The next {@code len} bytes from the cursor as the position..limit of one duplicate per
     * segment touched, without moving the cursor: duplicates made once per transport buffer and
     * re-pointed on every call, in an array reused for the same count. Valid until the next call.
     */
    ByteBuffer[] positionedViews(int len, boolean readOnly) {
        int count = walk(len, null, readOnly, true);
        if (count >= arrays.length) {
            arrays = Arrays.copyOf(arrays, Math.max(count + 1, arrays.length * 2));
        }
        ByteBuffer[] out = arrays[count];
        if (out == null) {
            out = new ByteBuffer[count];
            arrays[count] = out;
        }
        walk(len, out, readOnly, true);
        return out;
    }

    /**
     * Walks the next {@code len} bytes from the cursor, segment by segment, putting a view of
     * each into {@code out} unless it is null (a slice, or with {@code positioned} a re-pointed
     * duplicate); returns how many segments they touch.
     */
    private int walk(int len, ByteBuffer[] out, boolean readOnly, boolean positioned) {
        int count = 0;
        int s = seg;
        int i = idx;
        int left = len;
        while (left > 0 && s < bufs.length) {
            int n = Math.min(left, bufs[s].limit() - i);
            if (n > 0) {
                if (out != null) {
                    ByteBuffer base = readOnly ? readOnly(s) : positioned ? writable(s) : bufs[s];
                    out[count] = positioned ? base.limit(i + n).position(i) : base.slice(i, n);
                }
                count++;
                left -= n;
            }
            s++;
            if (s < bufs.length) {
                i = bufs[s].position();
            }
        }
        return count;
    }

    /**
     * A read-only duplicate of segment {@code s}, made once per buffer and given its current
     * limit: its slices are read-only.
     */
    private ByteBuffer readOnly(int s) {
        // a transport re-points its buffers between requests (vhost-user does): follow the limit
        return readOnly.of(bufs, s).limit(bufs[s].limit());
    }

    /** A writable duplicate of segment {@code s}, made once per buffer, to lend re-pointed. */
    private ByteBuffer writable(int s) {
        return writable.of(bufs, s);
    }

    /** Duplicates of the segments' buffers, by segment index, remade only when the buffer changes. */
    private static final class Duplicates {
        private final boolean readOnly;
        private ByteBuffer[] copies = NONE;
        private ByteBuffer[] of = NONE;

        Duplicates(boolean readOnly) {
            this.readOnly = readOnly;
        }

        ByteBuffer of(ByteBuffer[] bufs, int s) {
            if (of.length <= s) {
                of = Arrays.copyOf(of, bufs.length);
                copies = Arrays.copyOf(copies, bufs.length);
            }
            if (of[s] != bufs[s]) {
                copies[s] = readOnly ? bufs[s].asReadOnlyBuffer() : bufs[s].duplicate();
                of[s] = bufs[s];
            }
            return copies[s];
        }
    }

    private void skipEmpty() {
        while (seg < bufs.length && idx >= bufs[seg].limit() && seg + 1 < bufs.length) {
            seg++;
            idx = bufs[seg].position();
        }
    }
}

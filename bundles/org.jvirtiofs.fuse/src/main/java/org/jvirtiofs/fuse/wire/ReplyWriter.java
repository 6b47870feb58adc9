package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.FileName;

/**
 * Encodes one reply into its writable segments: payload first, from byte 16 on, then
 * {@code fuse_out_header} once the length is known. Fields are written straight into the
 * transport memory, little-endian, across segment boundaries where they fall.
 */
public final class ReplyWriter {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private final Segments segs;
    /** Lent for one reply's data at a time. */
    private final SegmentZeroCopyWriter data = new SegmentZeroCopyWriter(this);

    /** A writer over {@code writable}; each buffer's position..limit is one segment. */
    public ReplyWriter(ByteBuffer[] writable) {
        segs = new Segments(writable);
    }

    /** Starts over on another reply's {@code writable} segments. */
    public ReplyWriter reset(ByteBuffer[] writable) {
        segs.reset(writable);
        return this;
    }

    /** Lets go of the last reply's segments. */
    public void release() {
        reset(NONE);
    }

    /** Total writable bytes, header included. */
    public int capacity() {
        return segs.total();
    }

    /** Bytes written so far, counting from the start of the header. */
    public int position() {
        return segs.offset();
    }

    /** Bytes still free after the current position. */
    public int remaining() {
        return segs.total() - segs.offset();
    }

    /** Positions the writer just past the out header, where every payload starts. */
    public void beginPayload() {
        segs.seek(FuseOutHeader.SIZE);
    }

    /** Moves to {@code offset} from the start. */
    public void seek(int offset) {
        segs.seek(offset);
    }

    public void putShort(int v) {
        if (segs.contiguous() >= 2) {
            segs.current().putShort(segs.index(), (short) v);
            segs.advance(2);
        } else {
            putBytesLe(v, 2);
        }
    }

    public void putInt(int v) {
        if (segs.contiguous() >= 4) {
            segs.current().putInt(segs.index(), v);
            segs.advance(4);
        } else {
            putBytesLe(v, 4);
        }
    }

    public void putLong(long v) {
        if (segs.contiguous() >= 8) {
            segs.current().putLong(segs.index(), v);
            segs.advance(8);
        } else {
            putBytesLe(v, 8);
        }
    }

    public void putBytes(byte[] b) {
        segs.put(b, 0, b.length);
    }

    public void putName(FileName name) {
        int n = name.length();
        for (int i = 0; i < n; i++) {
            segs.put(name.byteAt(i));
        }
    }

    public void putZeros(int n) {
        for (int i = 0; i < n; i++) {
            segs.put((byte) 0);
        }
    }

    /** Writable views of {@code len} bytes from the current position, without moving it. */
    ByteBuffer[] views(int len) {
        return segs.views(len, false);
    }

    /** Copies {@code n} bytes of {@code src}, from its position (which stays), here, and moves past them. */
    void copyFrom(ByteBuffer src, int n) {
        segs.put(src, src.position(), n);
    }

    /** Writable views of {@code len} bytes from the current position, re-pointed in place. */
    ByteBuffer[] positionedViews(int len) {
        return segs.positionedViews(len, false);
    }

    /** Moves past {@code n} bytes filled through {@link #views}. */
    void skip(int n) {
        segs.advance(n);
    }

    /** A writer for up to {@code max} bytes of data from the current position, in place. */
    public SegmentZeroCopyWriter data(int max) {
        return data.lend(Math.min(max, remaining()));
    }

    /**
     * Writes the out header for a successful reply whose payload ends at the current position.
     *
     * @return the reply length to report to the transport
     */
    public int finishOk(long unique) {
        int len = position();
        FuseOutHeader.encode(this, len, 0, unique);
        return len;
    }

    /**
     * Writes a header-only error reply (the payload, if any was written, is not reported).
     *
     * @return the reply length, {@link FuseOutHeader#SIZE}
     */
    public int finishError(long unique, int errno) {
        FuseOutHeader.encode(this, FuseOutHeader.SIZE, -errno, unique);
        return FuseOutHeader.SIZE;
    }

    private void putBytesLe(long v, int n) {
        for (int i = 0; i < n; i++) {
            segs.put((byte) (v >>> (8 * i)));
        }
    }
}

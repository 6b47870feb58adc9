package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * Decodes one request from its readable segments: small structs are copied out (the guest may
 * change its memory at any time, so each field is read once), names are validated, and WRITE
 * payload is left in place for a {@link ZeroCopyReader}.
 *
 * <p>Every shortfall throws EINVAL: a request shorter than its opcode's arguments is malformed.
 */
public final class RequestReader {
    /** The largest fixed struct we copy (fuse_setattr_in is 88 bytes). */
    private static final int SCRATCH = 128;

    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    private final Segments segs;
    /** Lent for one request's payload at a time. */
    private final SegmentZeroCopyReader payload = new SegmentZeroCopyReader(this);
    private int end;
    private final byte[] scratch = new byte[SCRATCH];
    private final ByteBuffer scratchBuf = ByteBuffer.wrap(scratch).order(ByteOrder.LITTLE_ENDIAN);

    /** A reader over {@code readable}; each buffer's position..limit is one segment. */
    public RequestReader(ByteBuffer[] readable) {
        segs = new Segments(readable);
        end = segs.total();
    }

    /** Starts over on another request's {@code readable} segments. */
    public RequestReader reset(ByteBuffer[] readable) {
        segs.reset(readable);
        end = segs.total();
        return this;
    }

    /** Lets go of the last request's segments. */
    public void release() {
        reset(NONE);
    }

    /** Bytes left to decode. */
    public int remaining() {
        return end - segs.offset();
    }

    /** Stops decoding at {@code length} bytes from the start (in.len), if that is shorter. */
    public void limit(int length) {
        end = Math.min(end, length);
    }

    /**
     * Copies the next {@code size} bytes (a fixed struct) and returns them as a little-endian
     * buffer at position 0; valid until the next call.
     */
    public ByteBuffer struct(int size) throws FsException {
        require(size);
        segs.get(scratch, 0, size);
        scratchBuf.clear().limit(size);
        return scratchBuf;
    }

    /** Skips {@code n} bytes. */
    public void skip(int n) throws FsException {
        require(n);
        segs.advance(n);
    }

    /** Copies the next {@code n} bytes into a new array. */
    public byte[] bytes(int n) throws FsException {
        require(n);
        byte[] b = new byte[n];
        segs.get(b, 0, n);
        return b;
    }

    /** The next NUL-terminated string's bytes, without the NUL; EINVAL if no NUL follows. */
    public byte[] cString() throws FsException {
        int n = nulIndex();
        byte[] b = bytes(n);
        segs.advance(1);
        return b;
    }

    /** The next NUL-terminated string decoded as UTF-8 (xattr names). */
    public String cStringUtf8() throws FsException {
        return new String(cString(), StandardCharsets.UTF_8);
    }

    /**
     * The next NUL-terminated file name: EINVAL if it is empty, has no NUL or contains '/'. The
     * checks happen here so that bad names cost no exception stack from {@link FileName}.
     */
    public FileName name() throws FsException {
        int n = nulIndex();
        if (n == 0) {
            throw FsException.of(Errno.EINVAL);
        }
        FileName name;
        if (segs.contiguous() >= n) {
            // straight from the segment, through its reused read-only duplicate: no view is made
            ByteBuffer view = segs.positionedViews(n, true)[0];
            checkNoSlash(view, n);
            name = FileName.read(view, n);
            segs.advance(n);
        } else {
            byte[] b = bytes(n);
            ByteBuffer view = ByteBuffer.wrap(b);
            checkNoSlash(view, n);
            name = FileName.read(view, n);
        }
        segs.advance(1);
        return name;
    }

    /**
     * Read-only views of the next {@code n} bytes of transport memory, without consuming them:
     * WRITE and SETXATTR payloads are handed on from here.
     */
    ByteBuffer[] views(int n) {
        return segs.views(n, true);
    }

    /** Read-only views of the next {@code n} bytes, re-pointed in place. */
    ByteBuffer[] positionedViews(int n) {
        return segs.positionedViews(n, true);
    }

    /** Copies the next {@code n} bytes into {@code dst} from its position (which stays), consuming them. */
    void copyTo(ByteBuffer dst, int n) {
        segs.get(dst, dst.position(), n);
    }

    /** Consumes {@code n} bytes previously viewed. */
    void consume(int n) {
        segs.advance(n);
    }

    /** A reader of the next {@code size} bytes in place; EINVAL if fewer remain. */
    public SegmentZeroCopyReader payload(int size) throws FsException {
        require(size);
        return payload.lend(size);
    }

    private int nulIndex() throws FsException {
        int avail = remaining();
        int start = segs.offset();
        for (int i = 0; i < avail; i++) {
            if (segs.get() == 0) {
                segs.seek(start);
                return i;
            }
        }
        segs.seek(start);
        throw FsException.of(Errno.EINVAL);
    }

    private static void checkNoSlash(ByteBuffer view, int n) throws FsException {
        for (int i = 0; i < n; i++) {
            if (view.get(view.position() + i) == '/') {
                throw FsException.of(Errno.EINVAL);
            }
        }
    }

    private void require(int n) throws FsException {
        if (n < 0 || n > remaining()) {
            throw FsException.of(Errno.EINVAL);
        }
    }
}

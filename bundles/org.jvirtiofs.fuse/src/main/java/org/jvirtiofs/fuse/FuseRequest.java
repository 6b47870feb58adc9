package org.jvirtiofs.fuse;

import java.util.OptionalLong;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.fuse.wire.FuseInHeader;
import org.jvirtiofs.fuse.wire.FuseOutHeader;
import org.jvirtiofs.fuse.wire.ReplyWriter;
import org.jvirtiofs.fuse.wire.RequestReader;

/**
 * One request being served: its header, its argument reader and its reply writer. Each thread
 * serving requests reuses one instance (see {@link FuseSession#handle}): an op must not keep it,
 * or anything of it, past its return.
 */
final class FuseRequest {
    FuseInHeader header;
    RequestReader in;
    ReplyWriter out;
    /** Null only for INIT, which runs before anything is negotiated. */
    Negotiated negotiated;
    // The last values optional() and openFlags() made: immutable, so handed out again while the
    // same value repeats (one file read or written in a row), and no request allocates them.
    private OptionalLong lastOptional = OptionalLong.empty();
    private OpenFlags lastFlags;

    FuseRequest(FuseInHeader header, RequestReader in, ReplyWriter out, Negotiated negotiated) {
        set(header, in, out, negotiated);
    }

    /** Makes this the request of {@code header}; returns it. */
    FuseRequest set(FuseInHeader header, RequestReader in, ReplyWriter out, Negotiated negotiated) {
        this.header = header;
        this.in = in;
        this.out = out;
        this.negotiated = negotiated;
        return this;
    }

    /** {@code value} (a handle, a lock owner) when {@code present}; else empty. */
    OptionalLong optional(boolean present, long value) {
        if (!present) {
            return OptionalLong.empty();
        }
        if (!lastOptional.isPresent() || lastOptional.getAsLong() != value) {
            lastOptional = OptionalLong.of(value);
        }
        return lastOptional;
    }

    /** {@code new OpenFlags(bits)}, or the last one made if it has the same bits. */
    OpenFlags openFlags(int bits) {
        if (lastFlags == null || lastFlags.bits() != bits) {
            lastFlags = new OpenFlags(bits);
        }
        return lastFlags;
    }

    long nodeId() {
        return header.nodeId();
    }

    long unique() {
        return header.unique();
    }

    Context ctx() {
        return header.context();
    }

    /**
     * Checks that a reply of {@code payload} bytes fits before the provider is called: once a
     * lookup succeeded the reference must reach the kernel, so a reply that cannot be sent must
     * fail before it. EIO: the transport gave less room than the kernel's own reply size.
     */
    void reserve(int payload) throws FsException {
        if (out.capacity() < FuseOutHeader.SIZE + payload) {
            throw FsException.of(Errno.EIO);
        }
        out.beginPayload();
    }

    /** Finishes a successful reply whose payload ends at the writer's position. */
    int reply() {
        return out.finishOk(header.unique());
    }

    /** A successful reply with no payload. */
    int replyEmpty() {
        out.beginPayload();
        return reply();
    }
}

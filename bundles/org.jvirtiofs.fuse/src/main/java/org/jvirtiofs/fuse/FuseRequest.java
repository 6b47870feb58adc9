package org.jvirtiofs.fuse;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.fuse.wire.FuseInHeader;
import org.jvirtiofs.fuse.wire.FuseOutHeader;
import org.jvirtiofs.fuse.wire.ReplyWriter;
import org.jvirtiofs.fuse.wire.RequestReader;

/** One request being served: its header, its argument reader and its reply writer. */
final class FuseRequest {
    final FuseInHeader header;
    final RequestReader in;
    final ReplyWriter out;
    /** Null only for INIT, which runs before anything is negotiated. */
    final Negotiated negotiated;

    FuseRequest(FuseInHeader header, RequestReader in, ReplyWriter out, Negotiated negotiated) {
        this.header = header;
        this.in = in;
        this.out = out;
        this.negotiated = negotiated;
    }

    long nodeId() {
        return header.nodeId();
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

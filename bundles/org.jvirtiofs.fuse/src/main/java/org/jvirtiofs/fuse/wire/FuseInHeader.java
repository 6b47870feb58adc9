package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.FsException;

/**
 * {@code struct fuse_in_header}: the 40 bytes in front of every request.
 *
 * @param len the whole request's length, header included
 * @param opcode the FUSE_* opcode
 * @param unique the request id the reply must echo
 * @param nodeId the node the request is about
 * @param uid the caller's fsuid
 * @param gid the caller's fsgid
 * @param pid the caller's tgid, or 0
 */
public record FuseInHeader(int len, int opcode, long unique, long nodeId, int uid, int gid,
        int pid) {
    public static final int SIZE = 40;

    /** Decodes the header from the reader's next 40 bytes. */
    public static FuseInHeader read(RequestReader r) throws FsException {
        ByteBuffer b = r.struct(SIZE);
        return new FuseInHeader(b.getInt(0), b.getInt(4), b.getLong(8), b.getLong(16),
                b.getInt(24), b.getInt(28), b.getInt(32));
    }

    /** The caller as the provider sees it. */
    public Context context() {
        return new Context(uid, gid, pid);
    }
}

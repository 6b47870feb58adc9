package org.jvirtiofs.fuse.wire;

import java.nio.ByteBuffer;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.FsException;

/**
 * {@code struct fuse_in_header}: the 40 bytes in front of every request.
 *
 * <p>A session decodes each request's header into the instance of the thread serving it (see
 * {@link #decode}), so the fields are valid while that request is served.
 */
public final class FuseInHeader {
    public static final int SIZE = 40;

    private int len;
    private int opcode;
    private long unique;
    private long nodeId;
    private int uid;
    private int gid;
    private int pid;
    /** The last caller built, handed out again while uid, gid and pid repeat (it is immutable). */
    private Context context;

    /** Decodes a header from the reader's next 40 bytes into a new instance. */
    public static FuseInHeader read(RequestReader r) throws FsException {
        return new FuseInHeader().decode(r);
    }

    /** Decodes the reader's next 40 bytes into this instance; returns it. */
    public FuseInHeader decode(RequestReader r) throws FsException {
        ByteBuffer b = r.struct(SIZE);
        len = b.getInt(0);
        opcode = b.getInt(4);
        unique = b.getLong(8);
        nodeId = b.getLong(16);
        uid = b.getInt(24);
        gid = b.getInt(28);
        pid = b.getInt(32);
        return this;
    }

    /** The whole request's length, header included. */
    public int len() {
        return len;
    }

    /** The FUSE_* opcode. */
    public int opcode() {
        return opcode;
    }

    /** The request id the reply must echo. */
    public long unique() {
        return unique;
    }

    /** The node the request is about. */
    public long nodeId() {
        return nodeId;
    }

    /** The caller's fsuid. */
    public int uid() {
        return uid;
    }

    /** The caller's fsgid. */
    public int gid() {
        return gid;
    }

    /** The caller's tgid, or 0. */
    public int pid() {
        return pid;
    }

    /** The caller as the provider sees it. */
    public Context context() {
        Context c = context;
        if (c == null || c.uid() != uid || c.gid() != gid || c.pid() != pid) {
            c = new Context(uid, gid, pid);
            context = c;
        }
        return c;
    }
}

package org.jvirtiofs.fuse.wire;

/** {@code struct fuse_out_header}: len, error (a negated errno or 0), unique. */
public final class FuseOutHeader {
    public static final int SIZE = 16;

    private FuseOutHeader() {
    }

    /** Writes the header at the start of the reply, leaving the writer after it. */
    static void encode(ReplyWriter w, int len, int error, long unique) {
        w.seek(0);
        w.putInt(len);
        w.putInt(error);
        w.putLong(unique);
    }
}

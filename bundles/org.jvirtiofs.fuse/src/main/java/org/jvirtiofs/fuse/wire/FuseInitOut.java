package org.jvirtiofs.fuse.wire;

/**
 * {@code struct fuse_init_out}: 64 bytes since 7.23 (flags2 carved from unused in 7.36).
 *
 * @param major protocol major version
 * @param minor protocol minor version
 * @param maxReadahead the readahead limit, unsigned
 * @param flags the accepted init flags, bits 32..63 sent as flags2
 * @param maxBackground how many background requests the kernel may have outstanding
 * @param congestionThreshold the background count at which the kernel marks congestion
 * @param maxWrite the largest WRITE payload
 * @param timeGran timestamp granularity in ns (1 = full precision)
 * @param maxPages the largest request in pages (with FUSE_MAX_PAGES)
 */
public record FuseInitOut(int major, int minor, int maxReadahead, long flags,
        int maxBackground, int congestionThreshold, int maxWrite, int timeGran, int maxPages) {
    public static final int SIZE = 64;

    /** Writes the 64-byte struct. */
    public void encode(ReplyWriter w) {
        w.putInt(major);
        w.putInt(minor);
        w.putInt(maxReadahead);
        w.putInt((int) flags);
        w.putShort(maxBackground);
        w.putShort(congestionThreshold);
        w.putInt(maxWrite);
        w.putInt(timeGran);
        w.putShort(maxPages);
        w.putShort(0); // map_alignment: no DAX window
        w.putInt((int) (flags >>> 32)); // flags2
        w.putZeros(28); // unused[7]
    }
}

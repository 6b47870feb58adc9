package org.jvirtiofs.fuse;

/**
 * How a {@link FuseSession} negotiates INIT: the limits it announces and the init flags the
 * transport allows. Cache timeouts are not here: they are the provider's business.
 *
 * @param maxWrite the largest WRITE payload accepted (fuse_init_out.max_write); bigger WRITEs
 *     get EINVAL. The transport's buffers must hold it plus the headers.
 * @param maxPages the largest request in pages (fuse_init_out.max_pages, with FUSE_MAX_PAGES);
 *     Linux 6.1 caps it at 256, and the kernel sends at most
 *     {@code min(maxWrite, maxPages * 4096)} bytes per WRITE
 * @param maxReadahead our readahead limit; the reply carries the smaller of this and the
 *     kernel's
 * @param maxBackground how many background requests (readahead, async I/O) the kernel may keep
 *     outstanding, 1..65535
 * @param congestionThreshold the background count at which the kernel reports congestion,
 *     1..maxBackground
 * @param initFlagsMask the FUSE_* init flags ({@link FuseConstants}) the transport can carry;
 *     flags outside it are never accepted, whatever the kernel and the provider say
 */
public record SessionOptions(int maxWrite, int maxPages, int maxReadahead, int maxBackground,
        int congestionThreshold, long initFlagsMask) {

    /** 1 MiB: what 256 pages carry, the most Linux 6.1 puts in one request. */
    public static final int DEFAULT_MAX_WRITE = 1 << 20;
    /** The kernel's own cap (FUSE_MAX_MAX_PAGES in Linux 6.1). */
    public static final int DEFAULT_MAX_PAGES = 256;

    /** Checks every limit against what the wire fields can carry. */
    public SessionOptions {
        if (maxPages < 1 || maxPages > 0xFFFF) {
            throw new IllegalArgumentException("maxPages must be 1..65535: " + maxPages);
        }
        if (maxWrite < FuseConstants.PAGE_SIZE) {
            throw new IllegalArgumentException("maxWrite must be at least 4096: " + maxWrite);
        }
        if (maxReadahead < 0) {
            throw new IllegalArgumentException("maxReadahead is negative: " + maxReadahead);
        }
        if (maxBackground < 1 || maxBackground > 0xFFFF) {
            throw new IllegalArgumentException("maxBackground must be 1..65535: " + maxBackground);
        }
        if (congestionThreshold < 1 || congestionThreshold > maxBackground) {
            throw new IllegalArgumentException(
                    "congestionThreshold must be 1..maxBackground: " + congestionThreshold);
        }
    }

    /**
     * Good for virtio-fs and /dev/fuse alike: 1 MiB writes in 256 pages, readahead as the
     * kernel likes, the background limits virtiofsd uses, every init flag allowed.
     */
    public static SessionOptions defaults() {
        return new SessionOptions(DEFAULT_MAX_WRITE, DEFAULT_MAX_PAGES, Integer.MAX_VALUE, 0xFFFF,
                0xFFFF / 4 * 3, -1L);
    }

    /** These options with another max_write (and max_pages to carry it). */
    public SessionOptions withMaxWrite(int bytes) {
        int pages = Math.max(maxPages,
                Math.min(0xFFFF, (bytes + FuseConstants.PAGE_SIZE - 1) / FuseConstants.PAGE_SIZE));
        return new SessionOptions(bytes, pages, maxReadahead, maxBackground, congestionThreshold,
                initFlagsMask);
    }

    /** These options with the given init flags never accepted, e.g. locks a transport can't wait on. */
    public SessionOptions withoutInitFlags(long flags) {
        return new SessionOptions(maxWrite, maxPages, maxReadahead, maxBackground,
                congestionThreshold, initFlagsMask & ~flags);
    }
}

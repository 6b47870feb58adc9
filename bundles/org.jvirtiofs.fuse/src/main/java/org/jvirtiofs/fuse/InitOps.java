package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseConstants.*;

import java.util.EnumSet;
import java.util.Set;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInArgs.FuseInitIn;
import org.jvirtiofs.fuse.wire.FuseInitOut;

/**
 * INIT and DESTROY: version and feature negotiation, and the session state that lives between
 * them. Accepted flags = what the kernel offered, the transport allows, and either the session
 * itself implements (wire-only features) or the provider asked for (semantic features).
 */
final class InitOps {
    /**
     * Features that only concern the wire, which this session implements for any provider.
     * Splice needs file descriptors we never see; SECURITY_CTX would append contexts to create
     * requests; DAX and MAP_ALIGNMENT need a shared-memory window; none of them are offered.
     */
    static final long SESSION_FLAGS = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_HAS_IOCTL_DIR
            | FUSE_AUTO_INVAL_DATA | FUSE_ASYNC_DIO | FUSE_MAX_PAGES | FUSE_INIT_EXT;

    private final FuseFilesystem fs;
    private final SessionOptions options;
    private final Object lock = new Object();
    private volatile Negotiated state;

    InitOps(FuseFilesystem fs, SessionOptions options) {
        this.fs = fs;
        this.options = options;
    }

    /** The negotiated state, or null before INIT and after DESTROY. */
    Negotiated state() {
        return state;
    }

    int init(FuseRequest r) throws FsException {
        FuseInitIn in = FuseInitIn.read(r.in);
        r.reserve(FuseInitOut.SIZE);
        if (in.major() > FUSE_KERNEL_VERSION) {
            // A newer kernel: tell it our version and it sends INIT again in our language.
            new FuseInitOut(FUSE_KERNEL_VERSION, FUSE_KERNEL_MINOR_VERSION, 0, 0, 0, 0, 0, 0, 0)
                    .encode(r.out);
            return r.reply();
        }
        if (in.major() < FUSE_KERNEL_VERSION || in.minor() < FUSE_MIN_KERNEL_MINOR_VERSION) {
            throw FsException.of(Errno.EPROTO);
        }
        synchronized (lock) {
            if (state != null) {
                // INIT without DESTROY: the guest rebooted under us; start over cleanly.
                state = null;
                fs.destroy();
            }
            long allowed = in.flags() & options.initFlagsMask();
            long accepted = (SESSION_FLAGS & allowed) | providerFlags(allowed);
            Negotiated n = new Negotiated(Math.min(in.minor(), FUSE_KERNEL_MINOR_VERSION),
                    accepted, options.maxWrite());
            initOut(in, n).encode(r.out);
            state = n;
        }
        return r.reply();
    }

    int destroy(FuseRequest r) {
        destroy();
        return r.replyEmpty();
    }

    /** Back to the state before INIT; the provider drops its nodes and handles. */
    void destroy() {
        synchronized (lock) {
            if (state != null) {
                state = null;
                fs.destroy();
            }
        }
    }

    private long providerFlags(long allowed) throws FsException {
        Set<FsCapability> offered = EnumSet.noneOf(FsCapability.class);
        for (FsCapability c : FsCapability.values()) {
            if ((allowed & c.fuseFlag()) != 0) {
                offered.add(c);
            }
        }
        Set<FsCapability> wanted = fs.init(Set.copyOf(offered));
        long flags = 0;
        for (FsCapability c : wanted) {
            if (offered.contains(c)) {
                flags |= c.fuseFlag();
            }
        }
        return flags;
    }

    private FuseInitOut initOut(FuseInitIn in, Negotiated n) {
        int readahead = Integer.compareUnsigned(in.maxReadahead(), options.maxReadahead()) < 0
                ? in.maxReadahead() : options.maxReadahead();
        int maxPages = n.has(FUSE_MAX_PAGES) ? options.maxPages() : 0;
        return new FuseInitOut(FUSE_KERNEL_VERSION, n.minor(), readahead, n.flags(),
                options.maxBackground(), options.congestionThreshold(), options.maxWrite(), 1,
                maxPages);
    }
}

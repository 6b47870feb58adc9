package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.PosixException;

/** The one translation of host errors into guest errors: the same errno, no allocation. */
final class Errors {
    private Errors() {
    }

    /** Loads what {@link #fs} needs, while descriptors are still to be had: call when a share starts. */
    static void prepare() {
        DescriptorShortage.prepare();
    }

    /**
     * The guest's view of a failed host call: its errno, unchanged. Running out of descriptors is
     * also said in the log ({@link DescriptorShortage}), since the guest cannot tell why.
     */
    static FsException fs(PosixException e) {
        DescriptorShortage.check(e);
        return FsException.of(e.errno());
    }
}

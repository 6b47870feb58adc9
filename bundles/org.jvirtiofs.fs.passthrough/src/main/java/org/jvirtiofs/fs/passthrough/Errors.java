package org.jvirtiofs.fs.passthrough;

import org.jvirtiofs.api.FsException;
import org.jvirtiofs.posix.PosixException;

/** The one translation of host errors into guest errors: the same errno, no allocation. */
final class Errors {
    private Errors() {
    }

    /** The guest's view of a failed host call: its errno, unchanged. */
    static FsException fs(PosixException e) {
        return FsException.of(e.errno());
    }
}

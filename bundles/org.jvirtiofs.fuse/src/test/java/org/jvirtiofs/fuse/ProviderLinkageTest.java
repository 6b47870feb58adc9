package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.junit.jupiter.api.Test;

/** A provider bundle updated against classes it cannot link with fails one request, not the session. */
class ProviderLinkageTest {
    static final class UnlinkableFs extends FileOpsTest.FileFs {
        @Override
        public Entry lookup(Context ctx, long parent, FileName name) {
            throw new NoSuchMethodError("org.jvirtiofs.posix.Fs.openat2(int, byte[], long, long, long)");
        }
    }

    @Test
    void aLinkageErrorInTheProviderRepliesEioAndTheSessionGoesOn() {
        Harness h = Harness.initialized(new UnlinkableFs());
        h.call(Req.of(FUSE_LOOKUP, 1).str("x")).assertError(h.lastUnique(), Errno.EIO);
        h.call(FileOpsTest.read(0, 3, 0)).assertOk(h.lastUnique(), 3);
    }
}

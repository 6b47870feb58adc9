package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.junit.jupiter.api.Test;

/** A provider's Error fails one request with an errno, never the session. */
class ProviderFailureTest {
    /** Its LOOKUP throws what {@code failure} makes; its READ works. */
    static final class FailingLookupFs extends FileOpsTest.FileFs {
        private final Supplier<Error> failure;

        FailingLookupFs(Supplier<Error> failure) {
            this.failure = failure;
        }

        @Override
        public Entry lookup(Context ctx, long parent, FileName name) {
            throw failure.get();
        }
    }

    /** A provider bundle updated against classes it cannot link with. */
    @Test
    void aLinkageErrorInTheProviderRepliesEioAndTheSessionGoesOn() {
        Harness h = Harness.initialized(new FailingLookupFs(
            () -> new NoSuchMethodError("org.jvirtiofs.posix.Fs.openat2(int, byte[], long, long, long)")));
        h.call(Req.of(FUSE_LOOKUP, 1).str("x")).assertError(h.lastUnique(), Errno.EIO);
        h.call(FileOpsTest.read(0, 3, 0)).assertOk(h.lastUnique(), 3);
    }

    /**
     * A heap filled by what a guest holds: the request that found it full gets ENOMEM, the session
     * goes on serving, and the log says so once a minute, not once a request.
     */
    @Test
    void aFullHeapRepliesEnomemAndTheSessionGoesOn() {
        Harness h = Harness.initialized(new FailingLookupFs(() -> new OutOfMemoryError("Java heap space")));
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            h.call(Req.of(FUSE_LOOKUP, 1).str("x")).assertError(h.lastUnique(), Errno.ENOMEM);
            h.call(Req.of(FUSE_LOOKUP, 1).str("y")).assertError(h.lastUnique(), Errno.ENOMEM);
        } finally {
            System.setErr(err);
        }
        h.call(FileOpsTest.read(0, 3, 0)).assertOk(h.lastUnique(), 3);
        String said = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.split("heap is full", -1).length - 1, "one line for both:\n" + said);
        assertTrue(said.contains("FUSE LOOKUP failed: the daemon's heap is full (OutOfMemoryError), replying ENOMEM"),
            said);
        assertTrue(said.contains("JVIRTIOFS_JAVA_OPTS=-Xmx"), said);
    }
}

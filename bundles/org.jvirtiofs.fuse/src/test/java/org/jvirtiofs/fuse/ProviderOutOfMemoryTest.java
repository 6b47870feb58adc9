package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.junit.jupiter.api.Test;

/**
 * A heap filled by what a guest holds fails the request that found it full with ENOMEM; the
 * session goes on serving, and the log says so once a minute, not once a request.
 */
class ProviderOutOfMemoryTest {
    static final class FullHeapFs extends FileOpsTest.FileFs {
        @Override
        public Entry lookup(Context ctx, long parent, FileName name) {
            throw new OutOfMemoryError("Java heap space");
        }
    }

    @Test
    void aFullHeapRepliesEnomemAndTheSessionGoesOn() {
        Harness h = Harness.initialized(new FullHeapFs());
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

package org.jvirtiofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** A session over a {@link RecordingFs}, fed request bytes through direct buffers. */
final class Harness {
    /** Every init flag Linux 6.1 offers a virtiofs mount (PROTOCOL-NOTES §2), SUBMOUNTS included. */
    static final long LINUX_6_1_FLAGS = (1L << 0) | (1L << 1) | (1L << 3) | (1L << 4) | (1L << 5)
            | (1L << 6) | (1L << 7) | (1L << 8) | (1L << 9) | (1L << 10) | (1L << 11) | (1L << 12)
            | (1L << 13) | (1L << 14) | (1L << 15) | (1L << 16) | (1L << 17) | (1L << 18)
            | (1L << 19) | (1L << 20) | (1L << 21) | (1L << 22) | (1L << 23) | (1L << 24)
            | (1L << 25) | (1L << 27) | (1L << 28) | (1L << 29) | (1L << 30);
    /** flags2 of Linux 6.1: SECURITY_CTX. */
    static final int LINUX_6_1_FLAGS2 = 1;

    final RecordingFs fs;
    final FuseSession session;
    private final AtomicLong unique = new AtomicLong(100);

    Harness(RecordingFs fs, SessionOptions options) {
        this(fs, options, RequestObserver.NONE);
    }

    Harness(RecordingFs fs, SessionOptions options, RequestObserver observer) {
        this.fs = fs;
        this.session = new FuseSession(fs, options, observer);
    }

    /** A session that has completed a Linux 6.1 INIT. */
    static Harness initialized(RecordingFs fs) {
        Harness h = new Harness(fs, SessionOptions.defaults());
        h.init61();
        return h;
    }

    long nextUnique() {
        return unique.incrementAndGet();
    }

    /** The 64-byte fuse_init_in of Linux 6.1. */
    static Req init61Request() {
        return Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(37).u32(128 * 1024)
                .u32((int) LINUX_6_1_FLAGS).u32(LINUX_6_1_FLAGS2).zeros(44);
    }

    Reply init61() {
        long u = nextUnique();
        Reply r = call(init61Request().bytes(u), 4096);
        r.assertOk(u, 64);
        assertTrue(session.isInitialized());
        return r;
    }

    /** Sends {@code req} with {@code writable} bytes of reply room; checks the reply's unique. */
    Reply call(Req req, int writable) {
        long u = nextUnique();
        Reply r = call(req.bytes(u), writable);
        if (r.used() > 0) {
            assertEquals(u, r.unique(), "unique echoed");
        }
        return r;
    }

    /** Sends {@code req} with 64 KiB of reply room. */
    Reply call(Req req) {
        return call(req, 64 * 1024);
    }

    Reply call(byte[] request, int writable) {
        ByteBuffer in = ByteBuffer.allocateDirect(request.length).put(request).flip();
        ByteBuffer out = ByteBuffer.allocateDirect(writable);
        int used = session.handle(in, out);
        byte[] bytes = new byte[used];
        out.get(0, bytes);
        return new Reply(used, bytes);
    }

    /** The unique the last {@link #call(Req, int)} used. */
    long lastUnique() {
        return unique.get();
    }
}

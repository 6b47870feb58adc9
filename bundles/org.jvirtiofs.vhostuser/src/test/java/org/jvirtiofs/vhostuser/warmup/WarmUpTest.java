package org.jvirtiofs.vhostuser.warmup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fs.memory.MemoryFilesystemFactory;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystemFactory;
import org.jvirtiofs.fuse.FuseOpcode;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmUpTest {
    /** Rounds the counted tests run: each is about 300 requests, every reply checked. */
    private static final int ROUNDS = 5;

    private static final BooleanSupplier NO_GUEST = () -> false;

    /** Sessions and handlers as a share's transport makes them. */
    private static final WarmUp.Sessions SESSIONS = new WarmUp.Sessions() {
        @Override
        public FuseSession session(FuseFilesystem fs) {
            return new FuseSession(fs, SessionOptions.defaults());
        }

        @Override
        public RequestHandler handler(FuseSession session) {
            return RequestHandler.onFrontendGone(session::handle, session::destroy);
        }
    };

    private static WarmUp start(FilesystemFactory factory, Map<String, ?> options, int seconds,
                                BooleanSupplier guestCame, Path scratch) {
        return WarmUp.start("test-warm-up", factory, options, seconds, guestCame, SESSIONS, scratch);
    }

    @TempDir
    Path tmp;

    private Path share() throws IOException {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("keep.txt"), "the guest's own file");
        return share;
    }

    private Path scratch() throws IOException {
        return Files.createDirectory(tmp.resolve("scratch"));
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    /** A guest that comes after {@code n} rounds: the warm-up asks once before each round. */
    private static BooleanSupplier afterRounds(int n) {
        AtomicInteger asked = new AtomicInteger();
        return () -> asked.incrementAndGet() > n;
    }

    /** A passthrough warm-up on a fresh share, given 600 s, half a second into its rounds. */
    private WarmUp midRoundOnAShare(BooleanSupplier guestCame, Path scratch) throws Exception {
        WarmUp w = start(new PassthroughFilesystemFactory(), Map.of("source", share().toString()), 600,
            guestCame, scratch);
        Thread.sleep(500);
        return w;
    }

    /** Waits for a warm-up to end, or fails after {@code seconds}. */
    private static String awaitEnd(WarmUp w, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 20 && w.outcome() == null; i++) {
            Thread.sleep(50);
        }
        return w.outcome();
    }

    @Test
    void passthroughRoundsRunOnADirectoryOfTheirOwnAndLeaveNothingBehind() throws Exception {
        Path share = share();
        Path scratch = scratch();
        // the first one loads what later ones reuse (classes, native libraries and their fds)
        awaitEnd(start(new PassthroughFilesystemFactory(), Map.of("source", share.toString()), 600,
            afterRounds(1), scratch), 60);
        long fdsBefore = openFds();
        WarmUp w = start(new PassthroughFilesystemFactory(),
            Map.of("source", share.toString(), "cache", "always", "readonly", "true"), 600, afterRounds(ROUNDS),
            scratch);
        String outcome = awaitEnd(w, 60);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        assertTrue(w.requests() > ROUNDS * 250, outcome);
        assertEquals(List.of(), list(scratch), "the warm-up's directories are removed");
        assertEquals(List.of("keep.txt"), list(share), "the share is never touched");
        assertEquals("the guest's own file", Files.readString(share.resolve("keep.txt")));
        assertEquals(fdsBefore, openFds(), "nothing leaked: every handle closed and every node dropped");
    }

    /**
     * A memory share with room for 60 inodes: a round holds at most 19 at once (its directory, 16
     * files, a link and the root), and each round's session ends with everything released.
     */
    @Test
    void theMemoryProviderWarmsUpTooWithinAFewInodes() throws Exception {
        WarmUp w = start(new MemoryFilesystemFactory(), Map.of("nr_inodes", "60"), 600, afterRounds(ROUNDS),
            scratch());
        String outcome = awaitEnd(w, 60);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        assertTrue(w.requests() > ROUNDS * 250, outcome);
    }

    /**
     * It replaces only the {@code source} option: a provider whose data other options name (the
     * overlay's layers) would have its rounds made and removed in the share itself.
     */
    @Test
    void onlyProvidersItCanKeepOffTheSharesDataAreWarmedUp() {
        assertTrue(WarmUp.supports("passthrough"));
        assertTrue(WarmUp.supports("memory"));
        assertFalse(WarmUp.supports("overlay"));
        assertFalse(WarmUp.supports("a-plugins-own"));
    }

    /**
     * The rounds close files as the guest kernel does: a file whose OPEN said FOPEN_NOFLUSH gets no
     * FLUSH. Passthrough says so unless the guest's POSIX locks are the host's, for read-only
     * opens, and for writers too where the host's close reports nothing (ext4, tmpfs: the rounds
     * run in a temporary directory).
     */
    @Test
    void roundsFlushOnlyWhereTheKernelWould() throws Exception {
        boolean writersFlush;
        int dir = Fs.openat(AtFlags.AT_FDCWD, tmp.toString(), OpenFlags.O_PATH | OpenFlags.O_CLOEXEC, 0);
        try {
            writersFlush = !Mounts.closeReportsNothing(dir);
        } finally {
            Io.close(dir);
        }
        for (boolean hostLocks : new boolean[] {false, true}) {
            AtomicIntegerArray served = countedRounds(Map.of("posix-locks", hostLocks));
            int creates = served.get(FuseOpcode.FUSE_CREATE);
            int opens = served.get(FuseOpcode.FUSE_OPEN);
            assertTrue(creates > 0 && opens > 0);
            int expected = hostLocks ? creates + opens : writersFlush ? creates : 0;
            assertEquals(expected, served.get(FuseOpcode.FUSE_FLUSH), "host locks " + hostLocks);
        }
    }

    /**
     * Where passthrough answers CREATE, OPEN and FLUSH with ENOSYS (cache=always, the guest's own
     * locks), the rounds go on as the kernel would: files made with MKNOD, and no CREATE, OPEN,
     * OPENDIR or FLUSH after the first, no RELEASE or RELEASEDIR at all.
     */
    @Test
    void roundsOpenFilesWithoutMessagesOnceOpenIsRefused() throws Exception {
        AtomicIntegerArray served = countedRounds(Map.of("cache", "always", "posix-locks", false, "flock", false));
        assertEquals(1, served.get(FuseOpcode.FUSE_CREATE));
        assertEquals(1, served.get(FuseOpcode.FUSE_OPEN));
        assertEquals(1, served.get(FuseOpcode.FUSE_FLUSH));
        assertEquals(0, served.get(FuseOpcode.FUSE_RELEASE));
        assertEquals(1, served.get(FuseOpcode.FUSE_OPENDIR));
        assertEquals(0, served.get(FuseOpcode.FUSE_RELEASEDIR));
        assertTrue(served.get(FuseOpcode.FUSE_READDIRPLUS) > 2, "every round lists its directory");
        assertEquals(0, served.get(FuseOpcode.FUSE_MKNOD) % WarmUpRequests.FILES, "every file of every round");
        assertTrue(served.get(FuseOpcode.FUSE_MKNOD) > 0 && served.get(FuseOpcode.FUSE_READ) > 0);
    }

    /** Two warm-up rounds of a passthrough share with these options, the requests counted by opcode. */
    private AtomicIntegerArray countedRounds(Map<String, Object> options) throws Exception {
        Path share = Files.createTempDirectory(tmp, "share");
        AtomicIntegerArray served = new AtomicIntegerArray(64);
        WarmUp.Sessions counting = new WarmUp.Sessions() {
            @Override
            public FuseSession session(FuseFilesystem fs) {
                return new FuseSession(fs, SessionOptions.defaults(), (opcode, errno, nanos, bytes) -> {
                    if (opcode >= 0 && opcode < served.length()) {
                        served.incrementAndGet(opcode);
                    }
                });
            }

            @Override
            public RequestHandler handler(FuseSession session) {
                return SESSIONS.handler(session);
            }
        };
        Map<String, Object> all = new java.util.HashMap<>(options);
        all.put("source", share.toString());
        WarmUp w = WarmUp.start("test-warm-up", new PassthroughFilesystemFactory(), all, 600, afterRounds(2),
            counting, Files.createTempDirectory(tmp, "scratch"));
        String outcome = awaitEnd(w, 60);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        return served;
    }

    @Test
    void itEndsWhenItsTimeIsUp() throws Exception {
        Path scratch = scratch();
        WarmUp w = start(new MemoryFilesystemFactory(), Map.of(), 1, NO_GUEST, scratch);
        String outcome = awaitEnd(w, 60);
        assertTrue(outcome != null && outcome.endsWith(", its time was up"), outcome);
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void theGuestsFirstRequestEndsIt() throws Exception {
        Path scratch = scratch();
        AtomicBoolean guestCame = new AtomicBoolean();
        WarmUp w = midRoundOnAShare(guestCame::get, scratch);
        guestCame.set(true);
        String outcome = awaitEnd(w, 30);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void stoppingEndsItAfterTheRoundAtHand() throws Exception {
        Path scratch = scratch();
        WarmUp w = midRoundOnAShare(NO_GUEST, scratch);
        long t0 = System.nanoTime();
        w.stop();
        w.stop(); // twice is harmless
        w.stopAndWait();
        // a round is a few hundred requests: far less than the 600 s given
        assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "stopped in " + (System.nanoTime() - t0) / 1e9 + " s");
        assertTrue(w.outcome().endsWith(" s, stopped"), w.outcome());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void aProviderThatCannotBeMadeEndsItEarlyWithTheReason() throws Exception {
        Path scratch = scratch();
        FilesystemFactory refusing = new FilesystemFactory() {
            @Override
            public String type() {
                return "refusing";
            }

            @Override
            public FuseFilesystem create(Map<String, ?> options) {
                throw new IllegalArgumentException("option 'lower' is required");
            }
        };
        WarmUp w = start(refusing, Map.of(), 10, NO_GUEST, scratch);
        awaitEnd(w, 30);
        assertEquals("0 requests", w.outcome().substring(0, w.outcome().indexOf(" in ")));
        assertTrue(w.outcome().endsWith("ended early: option 'lower' is required"), w.outcome());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void aProviderThatFailsARequestEndsItEarlyNamingTheRequest() throws Exception {
        Path scratch = scratch();
        // room for the root alone: the round's MKDIR gets ENOSPC
        WarmUp w = start(new MemoryFilesystemFactory(), Map.of("nr_inodes", "1"), 10, NO_GUEST, scratch);
        awaitEnd(w, 30);
        // INIT, the LOOKUP of the round's directory (a miss), then its MKDIR
        assertTrue(w.outcome().startsWith("3 requests in "), w.outcome());
        assertTrue(w.outcome().endsWith("ended early: opcode 9 failed with errno 28"), w.outcome());
        assertEquals(List.of(), list(scratch));
    }
}

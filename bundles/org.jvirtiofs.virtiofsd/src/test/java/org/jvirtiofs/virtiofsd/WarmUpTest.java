package org.jvirtiofs.virtiofsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fs.memory.MemoryFilesystemFactory;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystemFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarmUpTest {
    /** Several rounds: each round is several hundred requests, all checked for success. */
    private static final long MANY = 3 * 300;

    private static final BooleanSupplier NO_GUEST = () -> false;

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

    /** Waits for a warm-up whose time is up, or fails after {@code seconds} more. */
    private static String awaitEnd(WarmUp w, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 20 && w.outcome() == null; i++) {
            Thread.sleep(50);
        }
        return w.outcome();
    }

    @Test
    void passthroughRoundsRunOnADirectoryOfTheirOwnUntilTheTimeIsUpAndLeaveNothingBehind() throws Exception {
        Path share = share();
        Path scratch = scratch();
        // the first one loads what later ones reuse (classes, native libraries and their fds)
        awaitEnd(WarmUp.start(new PassthroughFilesystemFactory(), Map.of("source", share.toString()), 1, NO_GUEST,
            scratch), 30);
        long fdsBefore = openFds();
        WarmUp w = WarmUp.start(new PassthroughFilesystemFactory(),
            Map.of("source", share.toString(), "cache", "always", "readonly", "true"), 2, NO_GUEST, scratch);
        String outcome = awaitEnd(w, 30);
        assertTrue(outcome != null && outcome.endsWith(", its time was up"), String.valueOf(outcome));
        assertTrue(w.requests() > MANY, outcome);
        assertEquals(List.of(), list(scratch), "the warm-up's directories are removed");
        assertEquals(List.of("keep.txt"), list(share), "the share is never touched");
        assertEquals("the guest's own file", Files.readString(share.resolve("keep.txt")));
        assertEquals(fdsBefore, openFds(), "every node forgotten and handle released, nothing leaked");
    }

    /**
     * A memory share with room for three rounds' inodes: a removed file's inode lives on until
     * the kernel forgets every lookup of it, so a round that forgot too little would run out.
     */
    @Test
    void theMemoryProviderWarmsUpTooAndEveryLookupIsForgotten() throws Exception {
        WarmUp w = WarmUp.start(new MemoryFilesystemFactory(), Map.of("nr_inodes", "60"), 1, NO_GUEST, scratch());
        String outcome = awaitEnd(w, 30);
        assertTrue(outcome != null && outcome.endsWith(", its time was up"), String.valueOf(outcome));
        assertTrue(w.requests() > MANY, outcome);
    }

    @Test
    void theGuestsFirstRequestEndsIt() throws Exception {
        Path scratch = scratch();
        AtomicBoolean guestCame = new AtomicBoolean();
        WarmUp w = WarmUp.start(new PassthroughFilesystemFactory(), Map.of("source", share().toString()), 600,
            guestCame::get, scratch);
        Thread.sleep(500);
        guestCame.set(true);
        String outcome = awaitEnd(w, 5);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void stoppingEndsItAfterTheRoundAtHand() throws Exception {
        Path scratch = scratch();
        WarmUp w = WarmUp.start(new PassthroughFilesystemFactory(), Map.of("source", share().toString()), 600,
            NO_GUEST, scratch);
        Thread.sleep(500);
        long t0 = System.nanoTime();
        w.stop();
        w.stop(); // every guest request calls it
        w.stopAndWait();
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "stopped in " + (System.nanoTime() - t0) / 1e9 + " s");
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
        WarmUp w = WarmUp.start(refusing, Map.of(), 10, NO_GUEST, scratch);
        awaitEnd(w, 30);
        assertEquals("0 requests", w.outcome().substring(0, w.outcome().indexOf(" in ")));
        assertTrue(w.outcome().endsWith("ended early: option 'lower' is required"), w.outcome());
        assertEquals(List.of(), list(scratch));
    }

    @Test
    void aProviderThatFailsARequestEndsItEarlyNamingTheRequest() throws Exception {
        Path scratch = scratch();
        // room for the root alone: the round's MKDIR gets ENOSPC
        WarmUp w = WarmUp.start(new MemoryFilesystemFactory(), Map.of("nr_inodes", "1"), 10, NO_GUEST, scratch);
        awaitEnd(w, 30);
        // INIT, the LOOKUP of the round's directory (a miss), then its MKDIR
        assertTrue(w.outcome().startsWith("3 requests in "), w.outcome());
        assertTrue(w.outcome().endsWith("ended early: opcode 9 failed with errno 28"), w.outcome());
        assertEquals(List.of(), list(scratch));
    }
}

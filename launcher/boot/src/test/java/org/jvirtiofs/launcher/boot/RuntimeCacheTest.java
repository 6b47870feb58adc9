package org.jvirtiofs.launcher.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuntimeCacheTest {
    @TempDir
    Path tmp;

    private RuntimeCache open(Path jar) throws IOException {
        return RuntimeCache.open(jar, Embedded.read(jar), tmp.resolve("cache"));
    }

    @Test
    void aFirstStartUnpacksTheFrameworkAndBundlesAndGetsAnEmptyStorage() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        RuntimeCache cache = open(jar);
        assertFalse(cache.restore());
        assertEquals("the framework", Files.readString(cache.bundles().resolve("framework.jar")));
        assertEquals("bundle a", Files.readString(cache.bundles().resolve("a-1.0.jar")));
        assertEquals("bundle b", Files.readString(cache.bundles().resolve("b-2.0.jar")));
        assertTrue(Files.isDirectory(cache.storage()));
        assertEquals(tmp.resolve("cache").resolve("d-" + Embedded.read(jar).key()), cache.bundles().getParent());
        cache.finish(true);
    }

    /** A start that writes {@code state} into its storage and stops, cleanly or not, and the start after it. */
    private RuntimeCache nextStartAfter(boolean clean) throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        RuntimeCache first = open(jar);
        Files.writeString(first.storage().resolve("state"), "installed");
        first.finish(clean);
        RuntimeCache second = open(jar);
        assertEquals(first.storage(), second.storage(), "the same storage area, free again");
        return second;
    }

    @Test
    void aStorageLeftByACleanStopIsRestoredByTheNextStart() throws IOException {
        RuntimeCache second = nextStartAfter(true);
        assertTrue(second.restore());
        assertEquals("installed", Files.readString(second.storage().resolve("state")));
        assertFalse(Files.exists(second.storage().resolve(RuntimeCache.KEPT)), "in use, so not to be restored");
        second.finish(true);
    }

    @Test
    void aStorageWhoseFrameworkDidNotStopCleanlyIsMadeAfresh() throws IOException {
        RuntimeCache second = nextStartAfter(false);
        assertFalse(second.restore());
        assertFalse(Files.exists(second.storage().resolve("state")), "nothing of the old storage is kept");
        second.finish(true);
    }

    @Test
    void aStorageKeptByAnotherBundleSetOrAnotherJavaIsMadeAfresh() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        String key = Embedded.read(jar).key();
        for (String stamp : List.of("0123456789abcdef", key + " /usr/lib/jvm/another 11.0.2+9")) {
            RuntimeCache first = open(jar);
            first.finish(true);
            Path kept = first.storage().resolve(RuntimeCache.KEPT);
            assertEquals(RuntimeCache.stamp(Embedded.read(jar)), Files.readString(kept));
            Files.writeString(kept, stamp);
            RuntimeCache second = open(jar);
            assertFalse(second.restore(), stamp);
            second.finish(true);
        }
    }

    @Test
    void startsAtTheSameTimeNeverShareAStorage() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        List<RuntimeCache> running = new ArrayList<>();
        for (int i = 0; i < RuntimeCache.SLOTS; i++) {
            running.add(open(jar));
        }
        assertEquals(RuntimeCache.SLOTS, running.stream().map(RuntimeCache::storage).distinct().count());
        // every kept area is taken: one more start gets a temporary one, removed when it ends
        RuntimeCache extra = open(jar);
        assertFalse(extra.storage().startsWith(tmp.resolve("cache")), extra.storage().toString());
        assertTrue(Files.isDirectory(extra.storage()));
        extra.finish(true);
        assertFalse(Files.exists(extra.storage()));
        running.forEach(c -> c.finish(true));
        assertTrue(open(jar).restore(), "a finished area is free for the next start");
    }

    /**
     * A new build's first start and bin/launch's class-data training start begin together: each
     * finds the set not unpacked yet. Neither may replace the bundles the other already uses (the
     * framework's class loader opens its JAR by path later: a replaced copy failed that start with
     * NoClassDefFoundError), so every start must end up on the one copy that stays.
     */
    @Test
    void firstStartsAtTheSameTimeUseOneUnpackedCopyThatStays() throws Exception {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        Embedded embedded = Embedded.read(jar);
        int starts = 6;
        for (int round = 0; round < 50; round++) {
            Path root = tmp.resolve("cache-" + round);
            CyclicBarrier together = new CyclicBarrier(starts);
            ExecutorService pool = Executors.newFixedThreadPool(starts);
            try {
                List<Future<Object>> seen = new ArrayList<>();
                for (int i = 0; i < starts; i++) {
                    seen.add(pool.submit(() -> {
                        together.await();
                        RuntimeCache cache = RuntimeCache.open(jar, embedded, root);
                        return Files.getAttribute(cache.bundles().resolve("framework.jar"), "unix:ino");
                    }));
                }
                List<Object> used = new ArrayList<>();
                for (Future<Object> f : seen) {
                    used.add(f.get());
                }
                Object stays = Files.getAttribute(root.resolve("d-" + embedded.key()).resolve("bundles")
                        .resolve("framework.jar"), "unix:ino");
                assertEquals(Collections.nCopies(starts, stays), used,
                        "round " + round + ": a start's framework JAR was replaced");
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aCacheThatCannotBeWrittenGivesTemporaryAreasThatGoAtTheEnd() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        Path notADirectory = Files.writeString(tmp.resolve("file"), "x");
        RuntimeCache cache = RuntimeCache.open(jar, Embedded.read(jar), notADirectory.resolve("cache"));
        assertFalse(cache.restore());
        assertEquals("bundle b", Files.readString(cache.bundles().resolve("b-2.0.jar")));
        Path area = cache.bundles().getParent();
        cache.finish(true);
        assertFalse(Files.exists(area), area + " is removed");
    }

    @Test
    void aDamagedUnpackedBundleIsUnpackedAgain() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b");
        RuntimeCache first = open(jar);
        first.finish(true);
        Files.writeString(first.bundles().resolve("b-2.0.jar"), "cut");
        RuntimeCache second = open(jar);
        assertEquals("bundle b", Files.readString(second.bundles().resolve("b-2.0.jar")));
        second.finish(true);
    }

    @Test
    void onlyTheNewestFewSetsOfOlderJarsAreKept() throws IOException {
        List<Path> sets = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path jar = LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b, build " + i);
            RuntimeCache cache = open(jar);
            cache.finish(true);
            sets.add(cache.bundles().getParent());
            // each build a minute after the one before, whatever the clock's resolution
            Files.setLastModifiedTime(sets.get(i), FileTime.fromMillis(60_000L * (i + 1)));
        }
        Path other = LauncherJars.twoBundles(tmp.resolve("other.jar"), "another runtime");
        open(other).finish(true);
        // each new build's first start removed those beyond the two before it
        for (int i = 0; i < 5; i++) {
            assertEquals(i >= 2, Files.exists(sets.get(i)), "build " + i);
        }
        assertEquals(1, names(tmp.resolve("cache")).filter(n -> n.startsWith("other-")).count(),
                "another runtime's sets are its own");
    }

    @Test
    void anOlderSetStillInUseIsLeftAlone() throws IOException {
        List<RuntimeCache> running = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            RuntimeCache cache = open(LauncherJars.twoBundles(tmp.resolve("d.jar"), "build " + i));
            Files.setLastModifiedTime(cache.bundles().getParent(), FileTime.fromMillis(60_000L * (i + 1)));
            running.add(cache);
        }
        // build 0 is the oldest of four, beyond the two kept, but its daemon still runs
        assertTrue(Files.exists(running.get(0).bundles()));
        running.forEach(c -> c.finish(true));
        RuntimeCache again = open(LauncherJars.twoBundles(tmp.resolve("d.jar"), "build 3"));
        assertTrue(Files.exists(running.get(0).bundles()), "a start of a build already unpacked removes nothing");
        again.finish(true);
        RuntimeCache next = open(LauncherJars.twoBundles(tmp.resolve("d.jar"), "build 4"));
        assertFalse(Files.exists(running.get(0).bundles()), "the next build's first start removes it");
        next.finish(true);
    }

    private static Stream<String> names(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList().stream();
        }
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/jvirtiofsd keeps its framework's storage between starts (launcher/boot): a start after a
 * clean stop restores the bundles installed, one after a crash installs them afresh, daemons
 * running together never share a storage, and a cache it cannot write only costs time.
 */
class JvirtiofsdKeptRuntimeTest {
    @TempDir
    Path tmp;

    /** The daemon with its cache in {@code tmp/cache}, and no class-data training start beside it. */
    private JvirtiofsdProcess start(String name, Map<String, String> more) throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "XDG_CACHE_HOME", tmp.resolve("cache").toString(), "JVIRTIOFS_CDS", "off"));
        env.putAll(more);
        JvirtiofsdProcess daemon = JvirtiofsdProcess.start(env, tmp.resolve(name + ".sock"),
                tmp.resolve(name + ".log"), "--shared-dir=" + share);
        // the socket exists from bind(2); the share is served a moment later
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!daemon.log().contains("serving") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return daemon;
    }

    private JvirtiofsdProcess start(String name) throws Exception {
        return start(name, Map.of());
    }

    /** The one bundle set's folder in the cache. */
    private Path set() throws IOException {
        try (Stream<Path> sets = Files.list(tmp.resolve("cache/jvirtiofs/runtime"))) {
            List<Path> all = sets.toList();
            assertEquals(1, all.size(), all.toString());
            assertTrue(all.get(0).getFileName().toString().matches("jvirtiofsd-[0-9a-f]{16}"), all.toString());
            return all.get(0);
        }
    }

    /** Marks storage area {@code slot}: a start that restores it keeps the mark, a fresh install removes it. */
    private Path mark(int slot) throws IOException {
        return Files.writeString(set().resolve("storage-" + slot).resolve("org.eclipse.osgi/test-mark"), "kept");
    }

    @Test
    void aStartAfterACleanStopRestoresTheInstalledBundles() throws Exception {
        try (JvirtiofsdProcess first = start("first")) {
            assertTrue(first.log().contains("serving"), first.log());
        }
        Path kept = set().resolve("storage-0/kept");
        assertTrue(Files.exists(kept), "SIGTERM stops the framework cleanly and keeps its storage");
        Path mark = mark(0);

        try (JvirtiofsdProcess second = start("second")) {
            assertTrue(second.log().contains("serving"), second.log());
            assertFalse(Files.exists(kept), "a storage in use is not to be restored by another start");
            assertTrue(Files.exists(mark), "restored, not installed again");
        }
        assertTrue(Files.exists(kept));
    }

    @Test
    void aStartAfterACrashInstallsAfreshAndServes() throws Exception {
        try (JvirtiofsdProcess first = start("first")) {
            first.kill();
        }
        assertFalse(Files.exists(set().resolve("storage-0/kept")), "a killed daemon leaves nothing to restore");
        Path mark = mark(0);

        try (JvirtiofsdProcess second = start("second")) {
            assertTrue(second.log().contains("serving"), second.log());
            assertFalse(Files.exists(mark), "the storage a crash left is not trusted");
            assertTrue(Files.isDirectory(set().resolve("storage-0/org.eclipse.osgi")));
        }
        assertTrue(Files.exists(set().resolve("storage-0/kept")));
    }

    @Test
    void aStorageKeptOnOneJavaIsMadeAfreshOnAnotherWhichServesWithoutWarnings() throws Exception {
        String jdk25 = System.getProperty("jvirtiofs.jdk25");
        assertTrue(jdk25 != null && Files.isExecutable(Path.of(jdk25, "bin/java")), "JDK 25 at " + jdk25);
        try (JvirtiofsdProcess on17 = start("on17")) {
            assertTrue(on17.log().contains("serving"), on17.log());
        }
        Path mark = mark(0);
        try (JvirtiofsdProcess on25 = start("on25", Map.of("JAVA_HOME", jdk25))) {
            assertTrue(on25.log().contains("serving"), on25.log());
            assertFalse(on25.log().contains("WARNING"), on25.log());
            assertFalse(Files.exists(mark), "Java 17's storage is not restored on Java 25");
        }
        assertTrue(Files.readString(set().resolve("storage-0/kept")).contains(jdk25));
    }

    @Test
    void daemonsRunningTogetherEachHaveTheirOwnStorage() throws Exception {
        try (JvirtiofsdProcess one = start("one"); JvirtiofsdProcess two = start("two")) {
            assertTrue(one.isAlive() && two.isAlive());
            assertTrue(Files.isDirectory(set().resolve("storage-0/org.eclipse.osgi")));
            assertTrue(Files.isDirectory(set().resolve("storage-1/org.eclipse.osgi")));
        }
        assertTrue(Files.exists(set().resolve("storage-0/kept")));
        assertTrue(Files.exists(set().resolve("storage-1/kept")));
    }

    @Test
    void aCacheThatCannotBeWrittenOnlyCostsTime() throws Exception {
        Path notADirectory = Files.writeString(tmp.resolve("cache-file"), "not a directory");
        Path temporary = Files.createDirectories(tmp.resolve("java-tmp"));
        try (JvirtiofsdProcess daemon = start("daemon", Map.of("XDG_CACHE_HOME", notADirectory.toString(),
                "JVIRTIOFS_JAVA_OPTS", "-Djava.io.tmpdir=" + temporary))) {
            assertTrue(daemon.log().contains("serving"), daemon.log());
            // besides the warm-up's own directory, which it removes when the warm-up ends
            try (Stream<Path> used = Files.list(temporary)) {
                assertEquals(1, used.filter(p -> !p.getFileName().toString().startsWith("jvirtiofsd-warm-up-")).count(),
                        "its bundles and storage are unpacked into one temporary folder");
            }
        }
        try (Stream<Path> left = Files.list(temporary)) {
            assertEquals(List.of(), left.toList(), "and that folder goes when it stops");
        }
    }
}

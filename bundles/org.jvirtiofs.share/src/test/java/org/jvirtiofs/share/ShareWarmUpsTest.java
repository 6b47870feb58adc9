package org.jvirtiofs.share;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.fs.memory.MemoryFilesystemFactory;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystemFactory;
import org.jvirtiofs.vhostuser.warmup.WarmUp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShareWarmUpsTest {
    private static final BooleanSupplier NO_GUEST = () -> false;
    private static final FilesystemFactory PASSTHROUGH = new PassthroughFilesystemFactory();
    private static final FilesystemFactory MEMORY = new MemoryFilesystemFactory();

    @TempDir
    Path tmp;

    private final ShareWarmUps warmUps = new ShareWarmUps();

    /**
     * A share's settings as its configuration gives them: a vhost-user socket and a warm-up of up
     * to 600 s unless {@code extra} says otherwise.
     */
    private ShareSettings settings(String name, String provider, Map<String, Object> extra) throws Exception {
        Map<String, Object> config = new HashMap<>(Map.of("name", name, "provider", provider,
                "source", Files.createDirectories(tmp.resolve(name)).toString()));
        config.put("socket", tmp.resolve(name + ".sock").toString());
        config.put("warm-up", "600");
        config.putAll(extra);
        config.values().removeIf(v -> v.equals(""));
        return ShareSettings.parse(config, name);
    }

    private static String awaitEnd(WarmUp w) throws InterruptedException {
        for (int i = 0; i < 1200 && w.outcome() == null; i++) {
            Thread.sleep(50);
        }
        return w.outcome();
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    @Test
    void aVhostUserShareWarmsUpOffItsDataUntilItsGuestsFirstRequest() throws Exception {
        ShareSettings s = settings("src", "passthrough", Map.of());
        Files.writeString(tmp.resolve("src/keep.txt"), "the guest's");
        AtomicBoolean guestCame = new AtomicBoolean();
        WarmUp w = warmUps.started(s, PASSTHROUGH, guestCame::get);
        assertNotNull(w);
        Thread.sleep(300);
        guestCame.set(true);
        String outcome = awaitEnd(w);
        assertTrue(outcome != null && outcome.endsWith(", stopped by the guest's first request"), outcome);
        assertTrue(w.requests() > 0, outcome);
        assertEquals(List.of("keep.txt"), list(tmp.resolve("src")), "the share's own directory is never touched");
    }

    @Test
    void oneRunsAtATimeAndEachProviderTypeWarmsUpOnce() throws Exception {
        AtomicBoolean firstGuest = new AtomicBoolean();
        WarmUp first = warmUps.started(settings("a", "passthrough", Map.of()), PASSTHROUGH, firstGuest::get);
        assertNotNull(first);
        assertNull(warmUps.started(settings("b", "memory", Map.of()), MEMORY, NO_GUEST),
                "the compiled code serves every share: no second warm-up beside a running one");
        firstGuest.set(true);
        awaitEnd(first);
        WarmUp memory = warmUps.started(settings("c", "memory", Map.of()), MEMORY, () -> true);
        assertNotNull(memory, "a provider type not warmed yet, once none runs");
        awaitEnd(memory);
        assertNull(warmUps.started(settings("d", "passthrough", Map.of()), PASSTHROUGH, NO_GUEST),
                "passthrough was warmed already");
    }

    @Test
    void noneWhereItWouldTouchDataNoGuestComesOrTheConfigurationSaysNot() throws Exception {
        assertNull(warmUps.started(settings("o", "overlay", Map.of("lower", tmp.toString())), PASSTHROUGH, NO_GUEST),
                "the overlay's layers would be served as configured");
        assertNull(warmUps.started(settings("m", "passthrough", Map.of("socket", "",
                "mountpoint", tmp.resolve("mnt").toString())), PASSTHROUGH, NO_GUEST), "a /dev/fuse mount has no guest");
        assertNull(warmUps.started(settings("z", "passthrough", Map.of("warm-up", 0)), PASSTHROUGH, NO_GUEST));
        Map<String, Object> unset = new HashMap<>(Map.of("socket", tmp.resolve("u.sock").toString(),
                "source", tmp.toString()));
        assertNull(warmUps.started(ShareSettings.parse(unset, "u"), PASSTHROUGH, NO_GUEST), "off unless asked for");
        assertNotNull(warmUps.started(settings("p", "passthrough", Map.of("warm-up", "1")), PASSTHROUGH, NO_GUEST));
        warmUps.stop();
    }

    @Test
    void itsShareStoppingEndsItAndAnotherShareStoppingDoesNot() throws Exception {
        WarmUp w = warmUps.started(settings("mine", "memory", Map.of()), MEMORY, NO_GUEST);
        Thread.sleep(300);
        warmUps.shareStopped("other");
        Thread.sleep(300);
        assertNull(w.outcome(), "another share's stop leaves it running");
        warmUps.shareStopped("mine");
        String outcome = awaitEnd(w);
        assertTrue(outcome != null && outcome.endsWith(" s, stopped"), outcome);
    }

    @Test
    void stoppingEndsTheRunningWarmUp() throws Exception {
        WarmUp w = warmUps.started(settings("s", "memory", Map.of()), MEMORY, NO_GUEST);
        Thread.sleep(300);
        warmUps.stop();
        assertTrue(w.outcome() != null && w.outcome().endsWith(" s, stopped"), w.outcome());
    }
}

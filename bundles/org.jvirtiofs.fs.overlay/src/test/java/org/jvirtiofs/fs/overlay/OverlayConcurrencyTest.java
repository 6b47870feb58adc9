package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;

/**
 * Several processes' worth of threads on one overlay mount for a bounded time: copy-ups of
 * shared lower directories from every side at once, creations, renames, deletions and listings
 * in the same merged directory. No operation may fail, every file must hold what its writer
 * wrote, and the lower layers must not change.
 */
class OverlayConcurrencyTest {
    private static final long MILLIS = 3000;

    @Test
    void mixedOperationsFromManyThreadsSeeNoErrorAndNoWrongData() throws Exception {
        Layers layers = Layers.build();
        String lowers = Layers.checksum(layers.path("l1"), layers.path("l2"));
        Path upper = layers.upperCopy("upper");
        Path mnt = Files.createDirectory(layers.path("mnt"));
        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        long[] rounds = new long[4];
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = FuseMount.mount(mnt, fs, MountOptions.defaults().withReaders(4))) {
            for (int t = 0; t < 4; t++) {
                int me = t;
                threads.add(new Thread(() -> {
                    try {
                        for (long i = 0; !stop.get(); i++) {
                            // lower files (copy-ups), some whited out in l1 (created anew over the whiteout)
                            Path mine = mnt.resolve("many/file-" + (me * 50 + (i % 50)));
                            Files.writeString(mine, "t" + me + " " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            Path f = mnt.resolve("dir/sub/w" + me + "-" + i);
                            Files.writeString(f, "round " + i);
                            Path g = mnt.resolve("dir/w" + me + "-" + i);
                            Files.move(f, g);
                            if (!Files.readString(g).equals("round " + i)) {
                                errors.add(g + " holds " + Files.readString(g));
                            }
                            try (Stream<Path> list = Files.list(mnt.resolve("dir"))) {
                                list.count();
                            }
                            Files.delete(g);
                            rounds[me] = i + 1;
                        }
                    } catch (Exception e) {
                        errors.add(Thread.currentThread().getName() + ": " + e);
                    }
                }, "worker-" + t));
            }
            threads.forEach(Thread::start);
            Thread.sleep(MILLIS);
            stop.set(true);
            for (Thread t : threads) {
                t.join(30_000);
            }
            assertEquals(List.of(), errors);
            for (int t = 0; t < 4; t++) {
                assertTrue(rounds[t] > 5, "worker " + t + " ran " + rounds[t] + " rounds");
                String prefix = "t" + t + " ";
                for (int k = 0; k < 50; k++) {
                    long appends = rounds[t] / 50 + (k < rounds[t] % 50 ? 1 : 0);
                    String text = Files.readString(mnt.resolve("many/file-" + (t * 50 + k)));
                    assertEquals(appends, text.lines().filter(l -> l.startsWith(prefix)).count(),
                            "appends to many/file-" + (t * 50 + k));
                }
            }
            try (Stream<Path> list = Files.list(mnt.resolve("dir"))) {
                assertEquals(List.of("new.txt", "sub", "up.txt", "x.txt"),
                        list.map(p -> p.getFileName().toString()).sorted().toList());
            }
        }
        assertEquals(lowers, Layers.checksum(layers.path("l1"), layers.path("l2")), "a lower layer changed");
    }
}

package org.jvirtiofs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's share on a fresh ext4 image: really a loop-mounted ext4, empty, and gone after the run. */
class ShareDiskTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshExt4IsMountedOnTheShareAndRemovedAfterTheRun() throws Exception {
        Path image = tmp.resolve("share.img");
        Path share = Files.createDirectories(tmp.resolve("share"));
        try (ShareDisk disk = ShareDisk.mount(image, share, 64)) {
            assertTrue(ShareDisk.mounted(share));
            String[] mount = mountOf(share);
            assertEquals("ext4", mount[2], String.join(" ", mount));
            assertTrue(mount[0].startsWith("/dev/loop"), String.join(" ", mount));
            try (var list = Files.list(share)) {
                assertEquals(0, list.count(), "the share starts empty (no lost+found)");
            }
            Files.writeString(share.resolve("f"), "x");
        }
        assertFalse(ShareDisk.mounted(share));
        assertFalse(Files.exists(image), "the image is deleted");
        assertFalse(Files.exists(share.resolve("f")), "what the run wrote went with its filesystem");
    }

    @Test
    void aShareLeftMountedByAKilledRunIsUnmountedFirst() throws Exception {
        Path image = tmp.resolve("share.img");
        Path share = Files.createDirectories(tmp.resolve("share"));
        ShareDisk.mount(image, share, 64); // never closed, as when the benchmark is killed
        Files.writeString(share.resolve("old"), "x");
        try (ShareDisk disk = ShareDisk.mount(image, share, 64)) {
            assertFalse(Files.exists(share.resolve("old")), "a fresh filesystem, not the old one");
            assertEquals(1, Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .filter(l -> l.split(" ")[1].equals(share.toString())).count(), "mounted once");
        }
        assertFalse(ShareDisk.mounted(share));
    }

    @Test
    void aShareStillInUseIsDetachedRatherThanFailingTheBenchmark() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        ShareDisk disk = ShareDisk.mount(tmp.resolve("share.img"), share, 64);
        Process holder = new ProcessBuilder("sleep", "60").directory(share.toFile()).start(); // keeps it busy
        try {
            disk.close();
            assertFalse(ShareDisk.mounted(share));
            assertFalse(Files.exists(tmp.resolve("share.img")));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void aShareThatCannotBeMadeSaysWhatToDoInstead() throws Exception {
        Path share = tmp.resolve("missing"); // no mount point
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> ShareDisk.mount(tmp.resolve("share.img"), share, 64));
        assertTrue(e.getMessage().startsWith("cannot put the share on a fresh ext4 image ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("--share-fs dir uses a plain directory in the work directory instead"),
            e.getMessage());
        assertFalse(Files.exists(tmp.resolve("share.img")), "no image is left behind");
    }

    private static String[] mountOf(Path dir) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f[1].equals(dir.toString())) {
                return f;
            }
        }
        throw new AssertionError(dir + " is not mounted");
    }
}

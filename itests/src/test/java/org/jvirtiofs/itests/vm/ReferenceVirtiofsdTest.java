package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same guest and battery against QEMU's own C virtiofsd: keeps the harness honest (a guest
 * failure in the jvirtiofs tests is jvirtiofs's, not the harness's) and is the side-by-side
 * reference the later comparisons use.
 */
class ReferenceVirtiofsdTest {
    private static final Path VIRTIOFSD = Path.of("/usr/lib/qemu/virtiofsd");

    @TempDir
    Path tmp;

    @Test
    void theGuestPassesTheBatteryOnQemusVirtiofsd() throws Exception {
        assertTrue(Files.isExecutable(VIRTIOFSD), VIRTIOFSD + " is missing: run bin/setup-host");
        GuestImage image = GuestImage.withScript("battery.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path socket = tmp.resolve("virtiofsd.sock");
        Path log = tmp.resolve("virtiofsd.log");
        Process daemon = new ProcessBuilder(VIRTIOFSD.toString(), "--socket-path=" + socket, "-o", "source=" + share,
                "-o", "cache=auto", "-o", "xattr", "-o", "sandbox=chroot").redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            waitFor(socket);
            GuestVm.Console console = new GuestVm(image, socket, "refshare", tmp.resolve("console.log"))
                    .daemonLog(() -> read(log)).run();
            console.assertBatteryPassed("QEMU's virtiofsd");
        } finally {
            daemon.destroy();
            daemon.waitFor(10, TimeUnit.SECONDS);
        }
        try (var left = Files.list(share)) {
            assertEquals(0, left.count(), "the battery leaves the share empty");
        }
    }

    private static void waitFor(Path socket) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(socket) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(socket), "virtiofsd made no socket at " + socket);
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

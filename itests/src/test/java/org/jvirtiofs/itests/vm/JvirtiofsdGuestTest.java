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

/** bin/jvirtiofsd, started as QEMU's users start virtiofsd, serves a guest that passes the battery. */
class JvirtiofsdGuestTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void aGuestPassesTheBatteryOnAShareServedByJvirtiofsd() throws Exception {
        GuestImage image = GuestImage.withScript("battery.sh");
        Path socket = tmp.resolve("jvirtiofsd.sock");
        Path log = tmp.resolve("jvirtiofsd.log");
        Process daemon = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
                "--socket-path=" + socket, "--provider=memory", "--cache=auto")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket) && daemon.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.exists(socket), "no socket from jvirtiofsd:\n" + read(log));
            GuestVm.Console console = new GuestVm(image, socket, "jvfsd", tmp.resolve("console.log"))
                    .daemonLog(() -> read(log)).run();
            assertEquals("12 passed, 0 failed", console.battery());
        } finally {
            daemon.destroy(); // SIGTERM: the framework stops and the backend closes its socket
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "jvirtiofsd did not stop on SIGTERM");
        }
        assertTrue(!Files.exists(socket), "the socket outlived the daemon");
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jvirtiofsd, started as QEMU's users start virtiofsd, serves a guest that passes the battery. */
class JvirtiofsdGuestTest {
    @TempDir
    Path tmp;

    @Test
    void aGuestPassesTheBatteryOnAShareServedByJvirtiofsd() throws Exception {
        GuestImage image = GuestImage.withScript("battery.sh");
        Path socket = tmp.resolve("jvirtiofsd.sock");
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--provider=memory", "--cache=auto")) {
            GuestVm.Console console = new GuestVm(image, socket, "jvfsd", tmp.resolve("console.log"))
                    .daemonLog(daemon::log).run();
            console.assertBatteryPassed("jvirtiofsd");
            // QEMU has exited: the daemon says what the guest asked of it once it sees the guest gone
            String summary = awaitLine(daemon, "guest gone: served ");
            assertTrue(summary.matches(".*guest gone: served \\d+ requests, \\d+\\.\\d{3} s serving them \\(\\d+ us each\\):.*")
                    && summary.contains(" INIT 1 (") && summary.contains(" LOOKUP ") && summary.contains(" WRITE "),
                    summary);
        }
        assertFalse(Files.exists(socket), "the socket outlived the daemon");
    }

    /** The first line of the daemon's log containing {@code text}, waited for up to 15 s. */
    private static String awaitLine(JvirtiofsdProcess daemon, String text) throws InterruptedException {
        long deadline = System.nanoTime() + 15_000_000_000L;
        do {
            String found = daemon.log().lines().filter(l -> l.contains(text)).findFirst().orElse(null);
            if (found != null) {
                return found;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no '" + text + "' in the daemon's log:\n" + daemon.log());
    }
}

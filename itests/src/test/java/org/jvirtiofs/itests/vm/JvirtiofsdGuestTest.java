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
            String summary = daemon.awaitLine("guest gone: served ", 15);
            assertTrue(summary != null && summary.matches(".*guest gone: served \\d+ requests, \\d+\\.\\d{3} s serving them \\(\\d+ us each\\):.*")
                    && summary.contains(" INIT 1 (") && summary.contains(" LOOKUP ") && summary.contains(" WRITE "),
                    daemon.log());
        }
        assertFalse(Files.exists(socket), "the socket outlived the daemon");
    }
}

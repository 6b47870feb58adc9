package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;

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
        }
        assertFalse(Files.exists(socket), "the socket outlived the daemon");
    }
}

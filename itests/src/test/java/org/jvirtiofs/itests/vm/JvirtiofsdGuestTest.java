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
            // before the guest's first request, the daemon rehearsed requests of its own, and
            // all of them succeeded (a failed one ends it early, saying which)
            String warmUp = daemon.awaitLine("warm-up: ", 15);
            assertTrue(warmUp != null && warmUp.matches(
                    ".*warm-up: [1-9]\\d* requests in \\d+\\.\\d s, (stopped by the guest's first request|its time was up)"),
                    daemon.log());
            // QEMU has exited: the daemon says what the guest asked of it once it sees the guest
            // gone, and none of the warm-up's requests are counted there (one INIT)
            String summary = daemon.awaitLine("guest gone: served ", 15);
            assertTrue(summary != null && summary.matches(".*guest gone: served \\d+ requests, \\d+\\.\\d{3} s serving them \\(\\d+ us each\\):.*")
                    && summary.contains(" INIT 1 (") && summary.contains(" LOOKUP ") && summary.contains(" WRITE "),
                    daemon.log());
        }
        assertFalse(Files.exists(socket), "the socket outlived the daemon");
    }

    /**
     * At cache=always with the guest's own locks, passthrough answers the first OPEN with ENOSYS
     * and the guest opens and closes files by itself from then on: the whole battery (appends,
     * truncation, files unlinked while open, holes, fsync, locks) passes with handle-less I/O.
     */
    @Test
    void aGuestPassesTheBatteryOpeningFilesWithoutMessages() throws Exception {
        GuestImage image = GuestImage.withScript("battery.sh");
        Path socket = tmp.resolve("jvirtiofsd.sock");
        Path share = Files.createDirectory(tmp.resolve("share"));
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=always", "-o", "no_posix_lock,no_flock,xattr")) {
            GuestVm.Console console = new GuestVm(image, socket, "zmo", tmp.resolve("console.log"))
                    .daemonLog(daemon::log).run();
            console.assertBatteryPassed("jvirtiofsd, zero-message opens");
            String summary = daemon.awaitLine("guest gone: served ", 15);
            assertTrue(summary != null && summary.contains(" OPEN 1 (") && summary.contains(" CREATE 1 (")
                    && summary.contains(" MKNOD ") && summary.contains(" READ ") && !summary.contains(" RELEASE ")
                    && summary.contains(" OPENDIR 1 (") && summary.contains(" READDIRPLUS ")
                    && !summary.contains(" RELEASEDIR "),
                    "one OPEN, CREATE and OPENDIR, answered ENOSYS, then MKNOD and no RELEASE(DIR): " + summary);
        }
    }
}

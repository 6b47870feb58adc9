package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults a real guest meets through bin/jvirtiofsd: a full host filesystem, and a daemon killed mid-life. */
class FaultsGuestTest {
    @TempDir
    Path tmp;

    @Test
    void aFullShareGivesTheGuestEnospcAndTakesWritesAgainOnceSpaceIsFreed() throws Exception {
        Path small = Files.createDirectory(tmp.resolve("small"));
        exec("mount", "-t", "tmpfs", "-o", "size=4m,mode=0755", "tmpfs", small.toString());
        try {
            Path socket = tmp.resolve("jvirtiofsd.sock");
            try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                    "--shared-dir=" + small, "--cache=auto")) {
                GuestVm.Console console = new GuestVm(GuestImage.withScript("enospc.sh"), socket, "small",
                        tmp.resolve("console.log")).daemonLog(daemon::log).run();
                assertTrue(console.text().contains("VMTEST: ENOSPC seen"), console.text());
                assertTrue(console.text().contains("VMTEST: written after freeing"), console.text());
                assertTrue(daemon.isAlive(), "the daemon is still serving");
                assertTrue(!daemon.log().contains(" ERROR "), daemon.log());
            }
            assertEquals("after the space was freed\n", Files.readString(small.resolve("after")));
            assertTrue(!Files.exists(small.resolve("fill")), "the guest's rm reached the host");
        } finally {
            exec("umount", "-l", small.toString());
        }
    }

    @Test
    void dataTheGuestFsyncedSurvivesADaemonSigkillAndARestartedDaemonServesIt() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path socket = tmp.resolve("jvirtiofsd.sock");
        Path console = tmp.resolve("console.log");
        GuestImage image = GuestImage.withScript("fsync-then-wait.sh");
        String guestSum;
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=auto")) {
            GuestVm vm = new GuestVm(image, socket, "fsync", console).daemonLog(daemon::log);
            CompletableFuture<GuestVm.Console> guest = vm.runAsync();
            try {
                guestSum = awaitValue(console, Pattern.compile("VMTEST: fsynced ([0-9a-f]{32})"), guest);
                daemon.kill();
            } finally {
                vm.kill();
                guest.handle((c, e) -> c).get(60, TimeUnit.SECONDS);
            }
        }
        assertEquals(guestSum, DaemonProc.md5(share.resolve("data")), "what the guest fsync'd is on the host");
        // a new daemon on the same socket path (the killed one left its socket file) serves it
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd-2.log"),
                "--shared-dir=" + share, "--cache=auto")) {
            GuestVm.Console second = new GuestVm(image, socket, "fsync", tmp.resolve("console-2.log"))
                    .daemonLog(daemon::log).run();
            assertTrue(second.text().contains("VMTEST: read back " + guestSum), second.text());
        }
    }

    /** Waits for {@code pattern} on the console and returns its group 1; fails if the guest ends first. */
    private static String awaitValue(Path console, Pattern pattern, CompletableFuture<?> guest) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (Files.exists(console)) {
                Matcher m = pattern.matcher(Files.readString(console, java.nio.charset.StandardCharsets.ISO_8859_1));
                if (m.find()) {
                    return m.group(1);
                }
            }
            if (guest.isDone()) {
                guest.join(); // throws the guest's failure
                throw new AssertionError("the guest ended without " + pattern);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + pattern + " on the console within 180 s");
    }

    private static void exec(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
    }
}

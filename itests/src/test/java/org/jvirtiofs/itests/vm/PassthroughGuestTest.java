package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host directory shared by bin/jvirtiofsd (passthrough) with a real guest. */
class PassthroughGuestTest {
    /** A real tree of about 10,500 files in 1,100 directories. */
    private static final List<String> TREE = List.of("./usr/include", "./usr/share/perl", "./usr/lib/python3.11");

    @TempDir
    Path tmp;

    @Test
    void theBatteryGivesOnTheShareExactlyWhatItGivesOnTheHostsOwnFilesystem() throws Exception {
        GuestImage image = GuestImage.withScript("battery-log.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        runGuest(image, share, "--xattr");
        Path hostDir = Files.createDirectory(tmp.resolve("host"));
        String onHost = sh(tmp, image.fsbattery() + " " + hostDir);
        assertEquals(onHost, Files.readString(share.resolve("battery.out")));
    }

    @Test
    void aRealSourceTreeUntarsReadsBackIdenticallyAndIsRemovedInTheGuest() throws Exception {
        // with direct writes: busybox tar's sendfile hands the daemon its archive's own pages
        GuestImage image = GuestImage.withScript("realwork.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        sh(tmp, "tar -C / -cf " + share.resolve("src.tar") + " " + String.join(" ", TREE));
        String expected = sh(tmp, "cd / && find " + String.join(" ", TREE)
                + " -type f -exec md5sum {} + | LC_ALL=C sort -k2");
        GuestVm.Console console = runGuest(image, share, "-o", "direct_write");
        assertTrue(expected.lines().count() > 10_000, "the tree is smaller than expected");
        assertEquals(expected, Files.readString(share.resolve("guest-sums.txt")));
        assertFalse(Files.exists(share.resolve("work")), "rm -rf in the guest left the tree on the host");
        assertTrue(console.text().contains("JVFS-FILES: " + expected.lines().count()));
    }

    private GuestVm.Console runGuest(GuestImage image, Path share, String... options) throws Exception {
        Path socket = tmp.resolve("jvirtiofsd.sock");
        List<String> args = new ArrayList<>(List.of("--shared-dir=" + share, "--cache=auto"));
        args.addAll(List.of(options));
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                args.toArray(new String[0]))) {
            return new GuestVm(image, socket, "hostdir", tmp.resolve("console.log")).daemonLog(daemon::log).run();
        }
    }

    private static String sh(Path dir, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES) && p.exitValue() == 0, script + " failed:\n" + out);
        return out;
    }
}

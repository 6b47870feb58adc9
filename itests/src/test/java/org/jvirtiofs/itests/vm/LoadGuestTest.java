package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Load and soak: two guests on two shares (two bin/jvirtiofsd daemons) at once, four processes
 * in each hammering mixed operations (write, rename, stat, chmod, hard and symbolic links,
 * mkdir/rmdir, listings) and checking the md5 of every file they wrote, in the guest after its
 * caches were dropped and on the host. Meanwhile each daemon's open fds and private memory are
 * sampled every second: with inode file handles (an inode costs no fd) the fds must not grow
 * beyond what the guests hold open and must be
 * back at their start once the guests are gone, and the private memory of the second half of
 * the run must not exceed the first half's by more than 32 MiB. The build runs 20 s;
 * {@code -Djvirtiofs.load.seconds=600} soaks for ten minutes.
 */
class LoadGuestTest {
    private static final int SECONDS = Integer.getInteger("jvirtiofs.load.seconds", 20);

    private static final Logger LOG = LoggerFactory.getLogger(LoadGuestTest.class);

    @TempDir
    Path tmp;

    record Sample(long fds, long anonKiB) {
    }

    @Test
    void twoGuestsHammeringTwoSharesSeeNoErrorAndNoWrongData() throws Exception {
        List<JvirtiofsdProcess> daemons = new ArrayList<>();
        try {
            List<Path> shares = new ArrayList<>();
            List<CompletableFuture<GuestVm.Console>> guests = new ArrayList<>();
            GuestImage image = GuestImage.withScriptText("LOAD_SECONDS=" + SECONDS + "\n"
                    + new String(LoadGuestTest.class.getResourceAsStream("load.sh").readAllBytes()));
            for (int g = 1; g <= 2; g++) {
                Path share = Files.createDirectory(tmp.resolve("share" + g));
                shares.add(share);
                daemons.add(JvirtiofsdProcess.start(tmp.resolve("d" + g + ".sock"), tmp.resolve("d" + g + ".log"),
                        "--shared-dir=" + share, "--cache=auto", "--inode-file-handles=prefer"));
            }
            List<Long> fdsBefore = new ArrayList<>();
            for (JvirtiofsdProcess d : daemons) {
                fdsBefore.add(DaemonProc.steady(() -> DaemonProc.openFds(d.pid())));
            }
            for (int g = 1; g <= 2; g++) {
                JvirtiofsdProcess d = daemons.get(g - 1);
                guests.add(new GuestVm(image, d.socket(), "load" + g, tmp.resolve("console" + g + ".log"))
                        .timeout(SECONDS + 600L).daemonLog(d::log).runAsync());
            }
            List<List<Sample>> samples = List.of(new ArrayList<>(), new ArrayList<>());
            while (!guests.stream().allMatch(CompletableFuture::isDone)) {
                for (int g = 0; g < 2; g++) {
                    samples.get(g).add(sample(daemons.get(g).pid()));
                }
                Thread.sleep(1000);
            }
            for (int g = 0; g < 2; g++) {
                GuestVm.Console console = guests.get(g).get(1, TimeUnit.MINUTES);
                assertTrue(console.text().contains("VMTEST: load "), console.text());
                checkSums(shares.get(g));
                JvirtiofsdProcess d = daemons.get(g);
                assertTrue(!d.log().contains(" ERROR "), d.log());
                List<Sample> s = samples.get(g);
                long maxFds = s.stream().mapToLong(Sample::fds).max().orElse(0);
                // with file handles an inode costs no fd; each guest process holds a few files open at a time
                assertTrue(maxFds <= fdsBefore.get(g) + 256, "daemon " + (g + 1) + " fds: " + s);
                assertEquals(fdsBefore.get(g), DaemonProc.settle(() -> DaemonProc.openFds(d.pid()), fdsBefore.get(g)),
                        "daemon " + (g + 1) + " fds once its guest was gone");
                int half = s.size() / 2;
                long first = s.subList(0, Math.max(1, half)).stream().mapToLong(Sample::anonKiB).max().orElse(0);
                long second = s.subList(half, s.size()).stream().mapToLong(Sample::anonKiB).max().orElse(0);
                assertTrue(second <= first + 32 * 1024, "daemon " + (g + 1) + " private memory grew: " + s);
                LOG.info("daemon {} over {} s: fds {} before, {} at most, back to {}; private memory at most {} MiB"
                        + " in the first half, {} MiB in the second; {}", g + 1, SECONDS, fdsBefore.get(g), maxFds,
                        fdsBefore.get(g), first / 1024, second / 1024, lastLine(console.text(), "VMTEST: load "));
            }
        } finally {
            for (JvirtiofsdProcess d : daemons) {
                d.close();
            }
        }
    }

    private static String lastLine(String text, String prefix) {
        return text.lines().filter(l -> l.contains(prefix)).reduce((a, b) -> b).orElse("").trim();
    }

    /** Every file a guest recorded has, on the host, the md5 the guest wrote. */
    private static void checkSums(Path share) throws Exception {
        List<String> lines = Files.readAllLines(share.resolve("all.sums"));
        assertTrue(lines.size() > 4, "files written: " + lines.size());
        for (String line : lines) {
            String sum = line.substring(0, 32);
            Path file = share.resolve(line.substring(34));
            assertEquals(sum, DaemonProc.md5(file), file.toString());
        }
    }

    private static Sample sample(long pid) throws IOException {
        return new Sample(DaemonProc.openFds(pid), DaemonProc.rssAnonKiB(pid));
    }
}

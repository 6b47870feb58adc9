package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU SIGKILLed while its guest writes through the share, again and again: bin/jvirtiofsd
 * serves the next guest each time, and its open fds, its vhost-user threads and its mappings of
 * guest memory come back to what they were before the first guest. The build runs 10 kills (about 80 s);
 * {@code -Djvirtiofs.kills=100} runs the issue's hundred (about 14 minutes here).
 */
class QemuKilledGuestTest {
    private static final int KILLS = Integer.getInteger("jvirtiofs.kills", 10);

    @TempDir
    Path tmp;

    record Footprint(long fds, long threads, long guestMappings) {
    }

    /** What the daemon's fds are, for a failure message. */
    private static String fdTargets(long pid) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) list::iterator) {
                try {
                    b.append(fd.getFileName()).append(" -> ").append(Files.readSymbolicLink(fd)).append('\n');
                } catch (IOException gone) {
                    // closed meanwhile
                }
            }
        }
        return b.toString();
    }

    @Test
    void theDaemonServesTheNextGuestAfterEachKillAndReturnsToItsBaseline() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path socket = tmp.resolve("jvirtiofsd.sock");
        GuestImage image = GuestImage.withScript("write-forever.sh");
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=auto")) {
            Footprint baseline = listening(daemon);
            String before = fdTargets(daemon.pid());
            for (int kill = 1; kill <= KILLS; kill++) {
                // a console of its own: the last guest's marker must not pass for this one's
                Path console = tmp.resolve("console-" + kill + ".log");
                GuestVm vm = new GuestVm(image, socket, "killed", console).daemonLog(daemon::log);
                CompletableFuture<GuestVm.Console> guest = vm.runAsync();
                try {
                    awaitWriting(console, guest, kill);
                } finally {
                    vm.kill();
                    guest.handle((c, e) -> c).get(60, TimeUnit.SECONDS);
                }
                assertTrue(daemon.isAlive(), "the daemon died with QEMU #" + kill + ":\n" + daemon.log());
                Files.deleteIfExists(console);
                Footprint after = DaemonProc.settle(() -> footprint(daemon.pid()), baseline);
                assertEquals(baseline, after, "after QEMU #" + kill + " was killed; fds before the first guest:\n"
                        + before + "and now:\n" + fdTargets(daemon.pid()) + "the daemon's log:\n" + daemon.log());
            }
            assertTrue(!daemon.log().contains(" ERROR "), daemon.log());
        }
    }

    /**
     * The footprint once the socket thread runs. The socket file is there from bind(2) on, a
     * moment before the daemon opens its stop eventfd and starts that thread: a baseline taken in
     * between counted both as leaked by the first guest (seen once in CI).
     */
    private static Footprint listening(JvirtiofsdProcess daemon) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        Footprint now = footprint(daemon.pid());
        while (now.threads() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            now = footprint(daemon.pid());
        }
        assertEquals(1, now.threads(), "the daemon's vhost-user socket thread:\n" + daemon.log());
        return DaemonProc.steady(() -> footprint(daemon.pid()));
    }

    /** Waits until the guest's first write through the share went through. */
    private static void awaitWriting(Path console, CompletableFuture<?> guest, int kill) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
            if (text.contains("VMTEST: writing 1\n") || text.contains("VMTEST: writing 1\r")) {
                return;
            }
            if (text.contains("VMTEST: write failed") || guest.isDone()) {
                throw new AssertionError("guest #" + kill + " could not write:\n" + text);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("guest #" + kill + " never wrote within 120 s");
    }

    /** Open fds, vhost-user threads and mappings of the guest's memfd RAM. */
    private static Footprint footprint(long pid) throws IOException {
        return new Footprint(DaemonProc.openFds(pid), DaemonProc.vhostUserThreads(pid), DaemonProc.memfdMappings(pid));
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cache=auto, close-to-open without the needless re-reads: a guest reading a file the host has
 * not changed reads its own page cache (no READ reaches the daemon), and a host change that
 * leaves the size and mtime as they were is still seen at the guest's next open.
 */
class KeepCacheGuestTest {
    private static final Pattern READS = Pattern.compile(" READ (\\d+) \\(");

    @TempDir
    Path tmp;

    @Test
    void aGuestRereadsAnUnchangedFileFromItsCacheAndSeesAHostChange() throws Exception {
        GuestImage image = GuestImage.withScript("keep-cache.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path data = share.resolve("data");
        Files.writeString(data, "aaaa".repeat(4096));
        Path socket = tmp.resolve("jvirtiofsd.sock");
        String summary;
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=auto")) {
            GuestVm vm = new GuestVm(image, socket, "kept", tmp.resolve("console.log")).daemonLog(daemon::log);
            CompletableFuture<GuestVm.Console> guest = vm.runAsync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(share.resolve("ready")) && !guest.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(share.resolve("ready")), "the guest never got ready");
            FileTime mtime = Files.getLastModifiedTime(data);
            Files.writeString(data, "bbbb".repeat(4096));
            Files.setLastModifiedTime(data, mtime);
            Files.writeString(share.resolve("go"), "");
            guest.get(5, TimeUnit.MINUTES);
            summary = daemon.awaitLine("guest gone: served ", 15);
            assertNotNull(summary, daemon.log());
        }
        assertEquals("aaaa", Files.readString(share.resolve("seen-before")));
        assertEquals("bbbb", Files.readString(share.resolve("seen-after")),
                "a host change of the ctime alone drops the guest's pages");
        Matcher reads = READS.matcher(summary);
        assertTrue(reads.find(), summary);
        // 24 reads of the 16 KiB file: one READ each for the first opens (its change is recent),
        // the first open with a settled stamp and the open after the host's change; the 20
        // reads in between come from the guest's page cache
        assertTrue(Integer.parseInt(reads.group(1)) <= 8, "READs: " + summary);
    }
}

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edit on the host, see it in the VM: while a guest holds the share's entries, attributes and
 * data in its caches, the host rewrites a file, creates, deletes and renames; with cache=never
 * the guest sees every change at once, with cache=auto within the one-second timeouts; with
 * cache=metadata it reads fresh data through cached names, with cache=always it keeps its view
 * (docs/cache-modes.md states the contract of every mode). The guest also reads one file 22
 * times before the host rewrites it in place at the same size and puts its mtime back: cache=auto
 * serves the rereads of the unchanged file from the guest's page cache, yet sees that rewrite.
 */
class CoherencyGuestTest {
    private static final Pattern READS = Pattern.compile(" READ (\\d+) \\(");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // mode    | file content the guest reads | a name it had seen, deleted on the host | the rewrite kept mtime | READs: at most, at least
        "never     | changed on the host          | no                                      | new                    | 99 | 24",
        "auto      | changed on the host          | no                                      | new                    | 8  | 0",
        "metadata  | changed on the host          | yes                                     | new                    | 99 | 24",
        "always    | v1                           | yes                                     | old                    | 8  | 0"})
    void theGuestSeesHostEditsAsItsCacheModePromises(String mode, String data, String oldStillSeen,
            String same, int maxReads, int minReads) throws Exception {
        GuestImage image = GuestImage.withScript("coherency.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("mode"), mode);
        Files.writeString(share.resolve("data"), "v1");
        Files.writeString(share.resolve("same"), "old!".repeat(4096));
        Files.writeString(share.resolve("old"), "old");
        Files.writeString(share.resolve("a"), "a");
        Path socket = tmp.resolve("jvirtiofsd.sock");
        String summary;
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=" + mode)) {
            GuestVm vm = new GuestVm(image, socket, "coherent", tmp.resolve("console.log")).daemonLog(daemon::log);
            CompletableFuture<GuestVm.Console> guest = vm.runAsync();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(share.resolve("ready")) && !guest.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(share.resolve("ready")), "the guest never got ready");
            Files.writeString(share.resolve("data"), "changed on the host");
            // only the ctime tells this one: the kernel's own check compares size and mtime
            FileTime mtime = Files.getLastModifiedTime(share.resolve("same"));
            Files.writeString(share.resolve("same"), "new!".repeat(4096));
            Files.setLastModifiedTime(share.resolve("same"), mtime);
            Files.writeString(share.resolve("new"), "new");
            Files.delete(share.resolve("old"));
            Files.move(share.resolve("a"), share.resolve("b"));
            Files.writeString(share.resolve("go"), "");
            guest.get(5, TimeUnit.MINUTES);
            summary = daemon.awaitLine("guest gone: served ", 15);
            assertNotNull(summary, daemon.log());
        }
        assertEquals("data=v1\n", "data=" + Files.readString(share.resolve("seen-before")) + "\n");
        // names the guest never looked up (new, b) are found in every mode
        String expected = "data=" + data + "\nsame=" + same + "!\nnew=yes\nold=" + oldStillSeen + "\nb=yes\n";
        assertEquals(expected, Files.readString(share.resolve("seen-after")), "cache=" + mode);
        // 25 reads of the share's files: direct I/O sends every one to the daemon; the page
        // cache modes send the first reads and, under auto, the reads after a change
        Matcher reads = READS.matcher(summary);
        assertTrue(reads.find(), summary);
        int n = Integer.parseInt(reads.group(1));
        assertTrue(n >= minReads && n <= maxReads, "cache=" + mode + ", READs: " + summary);
    }
}

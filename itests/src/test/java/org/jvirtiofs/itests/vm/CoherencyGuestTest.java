package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Edit on the host, see it in the VM: while a guest holds the share's entries, attributes and
 * data in its caches, the host rewrites a file, creates, deletes and renames; with cache=never
 * the guest sees every change at once, with cache=auto within the one-second timeouts; with
 * cache=metadata it reads fresh data through cached names, with cache=always it keeps its view
 * (docs/cache-modes.md states the contract of every mode).
 */
class CoherencyGuestTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // mode    | file content the guest reads | a name it had seen, deleted on the host
        "never     | changed on the host          | no",
        "auto      | changed on the host          | no",
        "metadata  | changed on the host          | yes",
        "always    | v1                           | yes"})
    void theGuestSeesHostEditsAsItsCacheModePromises(String mode, String data, String oldStillSeen)
            throws Exception {
        GuestImage image = GuestImage.withScript("coherency.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("mode"), mode);
        Files.writeString(share.resolve("data"), "v1");
        Files.writeString(share.resolve("old"), "old");
        Files.writeString(share.resolve("a"), "a");
        Path socket = tmp.resolve("jvirtiofsd.sock");
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
            Files.writeString(share.resolve("new"), "new");
            Files.delete(share.resolve("old"));
            Files.move(share.resolve("a"), share.resolve("b"));
            Files.writeString(share.resolve("go"), "");
            guest.get(5, TimeUnit.MINUTES);
        }
        assertEquals("data=v1\n", "data=" + Files.readString(share.resolve("seen-before")) + "\n");
        // names the guest never looked up (new, b) are found in every mode
        String expected = "data=" + data + "\nnew=yes\nold=" + oldStillSeen + "\nb=yes\n";
        assertEquals(expected, Files.readString(share.resolve("seen-after")), "cache=" + mode);
    }
}

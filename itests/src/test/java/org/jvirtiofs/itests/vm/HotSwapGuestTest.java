package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.itests.PlatformShell;
import org.junit.jupiter.api.io.TempDir;

/**
 * The platform's promise: a guest keeps working on a share while, from the Gogo shell, the
 * passthrough bundle is updated and the share's provider is swapped to another configuration
 * and back. The guest sees no error and no wrong data; share:stats counts the swaps.
 */
class HotSwapGuestTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final Pattern BUNDLE_ID = Pattern.compile("(\\d+)\\|\\w+\\s*\\|\\s*\\d+\\|org\\.jvirtiofs\\.fs\\.passthrough ");

    @TempDir
    Path tmp;

    @Test
    void aGuestLoopSeesNoErrorWhileTheProviderIsUpdatedAndSwapped() throws Exception {
        GuestImage image = GuestImage.withScript("hotswap.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path socket = tmp.resolve("swap.sock");
        Files.writeString(etc.resolve("org.jvirtiofs.share-swap.cfg"),
                "source = " + share + "\nsocket = " + socket + "\ncache = auto\n");
        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("jvirtiofs.log"));
        try (platform) {
            platform.waitFor(() -> Files.exists(socket), 30, "the share's socket");
            GuestVm vm = new GuestVm(image, socket, "swap", tmp.resolve("console.log")).daemonLog(platform::log);
            CompletableFuture<GuestVm.Console> guest = CompletableFuture.supplyAsync(() -> {
                try {
                    return vm.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            platform.waitFor(() -> Files.exists(share.resolve("ready")) || guest.isDone(), 120, "the guest's loop");

            platform.send("lb -s org.jvirtiofs.fs.passthrough");
            platform.waitFor(() -> BUNDLE_ID.matcher(platform.output()).find(), 10, "the passthrough bundle's id");
            Matcher m = BUNDLE_ID.matcher(platform.output());
            assertTrue(m.find());
            String id = m.group(1);
            Thread.sleep(1000);
            // an operator upgrading a provider gives the new jar's URL: the launcher's own
            // bundle locations point inside its executable JAR
            platform.send("update " + id + " " + passthroughJar().toUri());
            Thread.sleep(1500);
            platform.send("share:swap swap passthrough -o inode-file-handles=prefer");
            Thread.sleep(1500);
            platform.send("share:swap swap passthrough -o inode-file-handles=never");
            Thread.sleep(1500);
            platform.send("share:stats swap");
            platform.waitFor(() -> platform.output().contains("OPCODE"), 10, "share:stats");
            Files.writeString(share.resolve("stop"), "");
            GuestVm.Console console = guest.get(5, TimeUnit.MINUTES);
            String result = Files.readString(share.resolve("result")).trim();
            assertTrue(result.endsWith("errors=0 held=" + result.replaceAll(".*rounds=(\\d+).*", "$1")), result);
            assertEquals("PASS", console.result());
        }
        String out = platform.output();
        assertTrue(!out.contains("Exception"), "a command failed:\n" + out);
        Matcher swaps = Pattern.compile("swaps\\s+(\\d+)").matcher(out);
        assertTrue(swaps.find(), out);
        assertEquals("3", swaps.group(1), "the update and two swaps:\n" + out);
        Matcher writes = Pattern.compile("\\bWRITE\\s+(\\d+)").matcher(out);
        assertTrue(writes.find() && Long.parseLong(writes.group(1)) > 0, out);
    }

    private static Path passthroughJar() throws IOException {
        Path target = ROOT.resolve("bundles/org.jvirtiofs.fs.passthrough/target");
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().matches("org\\.jvirtiofs\\.fs\\.passthrough-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no passthrough bundle built in " + target));
        }
    }
}

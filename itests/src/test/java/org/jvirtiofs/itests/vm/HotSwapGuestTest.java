package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
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
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofs").toString());
        pb.environment().put("JVIRTIOFS_ETC", etc.toString());
        Path log = tmp.resolve("jvirtiofs.log");
        pb.redirectError(log.toFile());
        Process platform = pb.start();
        StringBuffer out = new StringBuffer();
        Thread reader = drain(platform.getInputStream(), out);
        try (OutputStream shell = platform.getOutputStream()) {
            waitFor(() -> Files.exists(socket), 30, "the share's socket", log);
            GuestVm vm = new GuestVm(image, socket, "swap", tmp.resolve("console.log")).daemonLog(() -> read(log));
            CompletableFuture<GuestVm.Console> guest = CompletableFuture.supplyAsync(() -> {
                try {
                    return vm.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            waitFor(() -> Files.exists(share.resolve("ready")) || guest.isDone(), 120, "the guest's loop", log);

            send(shell, "lb -s org.jvirtiofs.fs.passthrough");
            waitFor(() -> BUNDLE_ID.matcher(out).find(), 10, "the passthrough bundle's id", log);
            Matcher m = BUNDLE_ID.matcher(out);
            assertTrue(m.find());
            String id = m.group(1);
            Thread.sleep(1000);
            // an operator upgrading a provider gives the new jar's URL: the launcher's own
            // bundle locations point inside its executable JAR
            send(shell, "update " + id + " " + passthroughJar().toUri());
            Thread.sleep(1500);
            send(shell, "share:swap swap passthrough -o inode-file-handles=prefer");
            Thread.sleep(1500);
            send(shell, "share:swap swap passthrough -o inode-file-handles=never");
            Thread.sleep(1500);
            send(shell, "share:stats swap");
            waitFor(() -> out.toString().contains("OPCODE"), 10, "share:stats", log);
            Files.writeString(share.resolve("stop"), "");
            GuestVm.Console console = guest.get(5, TimeUnit.MINUTES);
            String result = Files.readString(share.resolve("result")).trim();
            assertTrue(result.endsWith("errors=0 held=" + result.replaceAll(".*rounds=(\\d+).*", "$1")), result);
            assertEquals("PASS", console.result());
        } finally {
            if (!platform.waitFor(60, TimeUnit.SECONDS)) {
                platform.destroyForcibly().waitFor();
            }
            reader.join(5_000);
        }
        assertTrue(!out.toString().contains("Exception"), "a command failed:\n" + out);
        Matcher swaps = Pattern.compile("swaps\\s+(\\d+)").matcher(out);
        assertTrue(swaps.find(), out.toString());
        assertEquals("3", swaps.group(1), "the update and two swaps:\n" + out);
        Matcher writes = Pattern.compile("\\bWRITE\\s+(\\d+)").matcher(out);
        assertTrue(writes.find() && Long.parseLong(writes.group(1)) > 0, out.toString());
    }

    private static Path passthroughJar() throws IOException {
        Path target = ROOT.resolve("bundles/org.jvirtiofs.fs.passthrough/target");
        try (var jars = Files.list(target)) {
            return jars.filter(p -> p.getFileName().toString().matches("org\\.jvirtiofs\\.fs\\.passthrough-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no passthrough bundle built in " + target));
        }
    }

    private static void send(OutputStream shell, String command) throws IOException {
        shell.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        shell.flush();
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static Thread drain(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0;) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("\n[stdout: ").append(e).append(']');
            }
        }, "jvirtiofs-stdout");
        t.start();
        return t;
    }

    private static void waitFor(BooleanSupplier condition, int seconds, String what, Path log) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; log:\n" + GuestVm.tail(read(log), 40));
            }
            Thread.sleep(100);
        }
    }
}

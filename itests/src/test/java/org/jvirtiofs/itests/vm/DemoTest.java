package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, bin/demo --batch, as a new user runs it: the platform shares a demo
 * folder it creates into a VM it boots; the guest lists and reads it and writes back.
 */
class DemoTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private String run(Path out, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("/bin/bash", ROOT.resolve("bin/demo").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
        // a fresh user's cache for the demo folder; the guest image stays in the usual cache
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().put("JVIRTIOFS_GUEST_CACHE", Path.of(System.getProperty("user.home"), ".cache/jvirtiofs/guest")
                .toString());
        Process demo = pb.start();
        demo.getOutputStream().close();
        assertTrue(demo.waitFor(5, TimeUnit.MINUTES), "bin/demo did not finish:\n" + Files.readString(out));
        String printed = Files.readString(out).replace("\r", ""); // the guest's console ends lines with CR LF
        assertEquals(0, demo.exitValue(), printed);
        return printed;
    }

    @Test
    void theDemoBootsAVmThatListsTheDemoFolderAndWritesBack() throws Exception {
        String printed = run(tmp.resolve("demo.out"), "--batch");
        Path folder = tmp.resolve("cache/jvirtiofs/demo-share");
        assertTrue(Files.readString(folder.resolve("README.txt")).contains("mount -t virtiofs demo /mnt/demo"));
        for (String step : List.of("demo: checking what the host needs", "demo: building the demo guest",
                "demo: starting the platform (bin/jvirtiofs) with share 'demo' of " + folder + " and VM 'demo'",
                "JVFS-AUTOMOUNT: demo /mnt/demo", "== ls -la /mnt/demo/", "README.txt",
                "jvirtiofs shares it into the demo VM", "== wrote /mnt/demo/from-the-guest.txt",
                "JVFS-RESULT: PASS", "demo: on the host, " + folder + "/from-the-guest.txt says: hello from the guest")) {
            assertTrue(printed.contains(step), "missing '" + step + "' in:\n" + printed);
        }
        assertTrue(Pattern.compile("demo: the VM runs \\(QEMU pid \\d+, (tcg|kvm), 512 MiB, shares demo\\)")
                .matcher(printed).find(), printed);
        assertTrue(Pattern.compile("(?m)^WRITE +1$").matcher(printed).find(), "share:stats counts the write:\n" + printed);
        assertTrue(Pattern.compile("(?m)^demo +STOPPED .* the guest powered off$").matcher(printed).find(), printed);
        assertTrue(Files.readString(folder.resolve("from-the-guest.txt")).startsWith("hello from the guest"));
    }

    @Test
    void aFolderOfTheUsersIsSharedAsItIs() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("note.txt"), "written on the host\n");
        String printed = run(tmp.resolve("demo.out"), "--batch", share.toString());
        assertTrue(printed.contains("== cat /mnt/demo/note.txt\nwritten on the host"), printed);
        assertTrue(Files.notExists(share.resolve("README.txt")), "the demo leaves a user's folder as it was");
        assertTrue(Files.readString(share.resolve("from-the-guest.txt")).startsWith("hello from the guest"));
    }

    @Test
    void atATerminalTheDemoGivesTheGuestsShell() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        // script(1) gives bin/demo a terminal, as a user's
        ProcessBuilder pb = new ProcessBuilder("script", "-qfec", "/bin/bash " + ROOT.resolve("bin/demo") + " " + share,
                "/dev/null").redirectErrorStream(true);
        pb.environment().put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        pb.environment().put("JVIRTIOFS_GUEST_CACHE", Path.of(System.getProperty("user.home"), ".cache/jvirtiofs/guest")
                .toString());
        Process demo = pb.start();
        StringBuffer seen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (var in = demo.getInputStream()) {
                byte[] b = new byte[4096];
                for (int n; (n = in.read(b)) > 0;) {
                    seen.append(new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                }
            } catch (java.io.IOException e) {
                seen.append("[").append(e).append("]");
            }
        });
        reader.start();
        try {
            awaitText(seen, "'exit' powers the VM off", 180);
            awaitText(seen, "# ", 30); // the guest shell's prompt
            type(demo, "echo typed in the guest shell > /mnt/demo/typed.txt\r");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!text(share.resolve("typed.txt")).equals("typed in the guest shell\n")) {
                assertTrue(System.currentTimeMillis() < deadline, "the typed command did not run:\n" + seen);
                Thread.sleep(100);
            }
            type(demo, "exit\r");
            assertTrue(demo.waitFor(2, TimeUnit.MINUTES), "bin/demo did not end after exit:\n" + seen);
        } finally {
            demo.destroyForcibly();
            reader.join(5_000);
        }
        String printed = seen.toString().replace("\r", "");
        assertEquals(0, demo.exitValue(), printed);
        assertTrue(printed.contains("demo: on the host, " + share + "/from-the-guest.txt says: hello from the guest"),
                printed);
    }

    private static void awaitText(StringBuffer seen, String text, int seconds) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!seen.toString().contains(text)) {
            assertTrue(System.currentTimeMillis() < deadline, "no '" + text + "' in:\n" + seen);
            Thread.sleep(100);
        }
    }

    private static void type(Process p, String keys) throws java.io.IOException {
        p.getOutputStream().write(keys.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
    }

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}

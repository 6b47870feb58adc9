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
}

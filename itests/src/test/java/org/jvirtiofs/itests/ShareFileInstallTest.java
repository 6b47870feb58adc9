package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's way: a share is a .cfg file in bin/jvirtiofs's configuration folder. Dropping the
 * file in mounts the share, editing it applies, deleting it unmounts; share:list shows it.
 */
class ShareFileInstallTest {
    private static final int WAIT_SECONDS = 30;

    @Test
    void aCfgFileInTheEtcFolderMountsTheShareAndItsEditsAndRemovalApply(@TempDir Path tmp) throws Exception {
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path source = Files.createDirectory(tmp.resolve("source"));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Files.writeString(source.resolve("hello.txt"), "hello from the host");
        Path cfg = etc.resolve("org.jvirtiofs.share-web.cfg");
        String config = "source = " + source + "\nmountpoint = " + mnt + "\ncache = never\n";
        Files.writeString(cfg, config);

        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("stderr.txt"));
        try (platform) {
            platform.waitFor(() -> readable(mnt.resolve("hello.txt")), WAIT_SECONDS, "the share mounted from " + cfg);
            assertEquals("hello from the host", Files.readString(mnt.resolve("hello.txt")));

            platform.send("share:list");
            platform.waitFor(() -> platform.output().contains("web"), WAIT_SECONDS, "share:list showing web");
            assertTrue(platform.output().lines().anyMatch(l -> l.startsWith("web") && l.contains("RUNNING")),
                    platform.output());

            Files.writeString(cfg, config + "readonly = true\n");
            platform.waitFor(() -> !canWrite(mnt.resolve("new.txt")), WAIT_SECONDS,
                    "readonly applied from the edited file");
            assertThrows(IOException.class, () -> Files.writeString(mnt.resolve("other.txt"), "x"));

            Files.delete(cfg);
            platform.waitFor(() -> !Files.exists(mnt.resolve("hello.txt")), WAIT_SECONDS,
                    "the share unmounted when its file went");
        } finally {
            // a platform that had to be killed leaves its mount behind; harmless when it is gone
            new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        assertEquals(0, platform.exitValue(), platform.log());
        assertTrue(Files.exists(source.resolve("hello.txt")), "the host files stay");
        // other.txt, written once readonly held, must not have reached the host. (new.txt is the
        // probe's: readonly can apply between its write and its delete, which then fails and
        // leaves it there; so it says nothing.)
        assertFalse(Files.exists(source.resolve("other.txt")), "a write refused under readonly reached the host");
    }

    private static boolean readable(Path p) {
        try {
            Files.readString(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canWrite(Path p) {
        try {
            Files.writeString(p, "x");
            Files.delete(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

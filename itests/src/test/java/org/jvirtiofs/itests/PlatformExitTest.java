package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code exit} typed into bin/jvirtiofs's shell stops the platform as the end of its input does:
 * the shares unmount, then the process ends with 0, though the input stays open. Gogo's own
 * {@code exit} refused the bare word and, given a status, ended the JVM with the mount left
 * behind.
 */
class PlatformExitTest {
    private static final int WAIT_SECONDS = 30;

    @ParameterizedTest
    @ValueSource(strings = {"exit", "exit 0"})
    void exitUnmountsEveryShareAndEndsThePlatform(String command, @TempDir Path tmp) throws Exception {
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path source = Files.createDirectory(tmp.resolve("source"));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Files.writeString(source.resolve("hello.txt"), "hello");

        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("stderr.txt"));
        try (platform) {
            platform.send("share:add web " + source + " --mountpoint " + mnt);
            platform.waitFor(() -> Files.exists(mnt.resolve("hello.txt")), WAIT_SECONDS, "the share mounted");

            platform.send(command);
            assertTrue(platform.endsWithin(WAIT_SECONDS), "still running after '" + command + "':\n"
                    + platform.output() + "\n" + platform.log());
            assertFalse(mounted(mnt), "the mount outlived the platform");
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        assertEquals(0, platform.exitValue(), platform.log());
        assertTrue(platform.output().contains("stopping jvirtiofs"), platform.output());
        assertFalse(platform.output().contains("Exception"), platform.output());
        assertTrue(platform.log().contains("unmounted " + mnt), "no clean unmount:\n" + platform.log());
    }

    private static boolean mounted(Path mnt) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
                .anyMatch(l -> l.split(" ")[1].equals(mnt.toString()));
    }
}

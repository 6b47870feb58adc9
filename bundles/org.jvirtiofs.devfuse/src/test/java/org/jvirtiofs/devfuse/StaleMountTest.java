package org.jvirtiofs.devfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.OpenFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A mount whose daemon died is detached when the same mountpoint is mounted again. */
class StaleMountTest {
    @TempDir
    Path tmp;

    @Test
    void aStaleMountOfADeadDaemonIsDetachedOnTheNextMount() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        // what a killed daemon leaves: a fuse mount whose /dev/fuse fd is closed
        int fd = Fs.openat(AtFlags.AT_FDCWD, "/dev/fuse", OpenFlags.O_RDWR, 0);
        Mounts.mount("jvirtiofs", mnt.toString(), FuseMount.FS_TYPE, 0,
                "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0");
        Io.close(fd);
        assertTrue(StaleMounts.isMounted(mnt.toString(), FuseMount.FS_TYPE));
        assertThrows(IOException.class, () -> Files.list(mnt).close(), "a dead mount answers ENOTCONN");

        try (FuseMount mount = FuseMount.mount(mnt, new MemoryFilesystem(MemoryOptions.defaults()),
                MountOptions.defaults())) {
            Files.writeString(mnt.resolve("alive"), "yes");
            assertEquals("yes", Files.readString(mnt.resolve("alive")));
        }
        assertFalse(StaleMounts.isMounted(mnt.toString(), FuseMount.FS_TYPE));
    }

    @Test
    void theConfiguredNumberOfReadersServesTheMountAndStopsWithIt() throws Exception {
        Path mnt = Files.createDirectory(tmp.resolve("readers"));
        try (FuseMount mount = FuseMount.mount(mnt, new MemoryFilesystem(MemoryOptions.defaults()),
                MountOptions.defaults().withReaders(3))) {
            assertEquals(3, readerThreads("readers"));
            Files.writeString(mnt.resolve("f"), "served");
            assertEquals("served", Files.readString(mnt.resolve("f")));
        }
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (readerThreads("readers") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, readerThreads("readers"));
    }

    private static long readerThreads(String mountpointName) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("devfuse-" + mountpointName + "-")).count();
    }

    @Test
    void mountingOnAMissingDirectorySaysWhy() {
        IOException e = assertThrows(IOException.class, () -> FuseMount.mount(tmp.resolve("absent"),
                new MemoryFilesystem(MemoryOptions.defaults()), MountOptions.defaults()));
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
    }

    @Test
    void mountinfoEscapesAreDecoded() {
        assertEquals("/tmp/a b\\c", StaleMounts.unescape("/tmp/a\\040b\\134c"));
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.RenameFlags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/**
 * Attacks on the share boundary through a real mount. The reader never follows a symlink itself
 * (openat2 RESOLVE_NO_SYMLINKS), so any outside content it saw would have to come from the
 * provider following one on the host. {@link ConfinementFallbackMountTest} runs the same attacks
 * on the confinement kernels without openat2 get.
 */
class ConfinementMountTest {
    private MountedShare share;
    private Path outside;

    /** Whether the share confines with openat2; {@link ConfinementFallbackMountTest} says no. */
    boolean openat2() {
        return true;
    }

    @BeforeEach
    void mount() throws Exception {
        share = TestShare.confinedBy(openat2(), () -> new MountedShare(o -> o.withCache(CacheMode.NEVER)));
        outside = Files.createDirectory(share.base.resolve("outside"));
        Files.writeString(outside.resolve("sentinel"), "OUTSIDE");
    }

    @AfterEach
    void unmount() {
        share.close();
    }

    @Test
    void aDirectorySwappedForASymlinkInALoopNeverShowsOutsideContents() throws Exception {
        Path d = Files.createDirectory(share.source.resolve("d"));
        Files.writeString(d.resolve("sentinel"), "INSIDE");
        Files.createSymbolicLink(share.source.resolve("l"), outside);
        AtomicBoolean stop = new AtomicBoolean();
        String src = share.source.toString();
        Thread swapper = new Thread(() -> {
            while (!stop.get()) {
                try {
                    Fs.renameat2(AtFlags.AT_FDCWD, src + "/d", AtFlags.AT_FDCWD, src + "/l",
                            RenameFlags.RENAME_EXCHANGE);
                } catch (PosixException e) {
                    return;
                }
            }
        });
        int mntFd = Fs.openat(AtFlags.AT_FDCWD, share.mnt.toString(), OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0);
        int inside = 0;
        swapper.start();
        try {
            // more than 3,000 reads until one reached the directory, as in ConfinementTest
            for (int i = 0; i < 3000 || inside == 0 && i < 300_000; i++) {
                String read = read(mntFd, "d/sentinel");
                if (read != null) {
                    assertEquals("INSIDE", read);
                    inside++;
                }
            }
        } finally {
            stop.set(true);
            swapper.join();
            Io.close(mntFd);
        }
        assertTrue(inside > 0, "some reads reached the directory");
    }

    @Test
    void hostSymlinksShowAsSymlinksWithTheirTargets() throws Exception {
        Files.createSymbolicLink(share.source.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(share.source.resolve("up"), Path.of("../../.."));
        String out = Programs.run(share.mnt, "bash", "-c", "readlink passwd up; stat -c '%F' passwd up");
        assertEquals("/etc/passwd\n../../..\nsymbolic link\nsymbolic link\n", out);
        assertEquals(null, read(Fs.openat(AtFlags.AT_FDCWD, share.mnt.toString(),
                OpenFlags.O_PATH | OpenFlags.O_DIRECTORY, 0), "passwd"), "not followed");
    }

    @Test
    void aGuestCannotHardLinkAFileFromOutsideTheMountIntoIt() throws Exception {
        String out = Programs.run(share.mnt, "bash", "-c",
                "ln " + outside.resolve("sentinel") + " stolen; echo rc=$?");
        assertTrue(out.endsWith("rc=1\n"), out);
        assertTrue(Files.notExists(share.source.resolve("stolen")));
    }

    /** The file's contents, opened without following any symlink, or null if that fails. */
    private static String read(int dirFd, String path) {
        try {
            int fd = Fs.openat2(dirFd, path, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0,
                    OpenFlags.RESOLVE_NO_SYMLINKS | OpenFlags.RESOLVE_BENEATH);
            try {
                ByteBuffer buf = ByteBuffer.allocateDirect(64);
                Io.read(fd, buf);
                buf.flip();
                byte[] b = new byte[buf.remaining()];
                buf.get(b);
                return new String(b, StandardCharsets.UTF_8);
            } finally {
                Io.close(fd);
            }
        } catch (PosixException e) {
            return null;
        }
    }
}

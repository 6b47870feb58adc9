package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/**
 * The passthrough provider mounted through /dev/fuse and driven by real programs (cp -a, tar,
 * find, mv, ln, mknod, truncate, dd, setfattr/getfattr, flock, python3): they must see what they
 * see on plain ext4, and the host must see exactly what they wrote.
 */
class PassthroughMountTest {
    private MountedShare share;
    private Path ext4;

    @BeforeEach
    void mount() throws Exception {
        share = new MountedShare(o -> o);
        Path plain = Files.createDirectory(share.base.resolve("plain"));
        ext4 = Files.createDirectory(share.base.resolve("ext4"));
        // the reference is a nosuid,nodev bind of plain ext4, as our FUSE mounts are nosuid,nodev
        Mounts.mount(plain.toString(), ext4.toString(), null, MountFlags.MS_BIND, null);
        Mounts.mount(null, ext4.toString(), null, MountFlags.MS_REMOUNT | MountFlags.MS_BIND
                | MountFlags.MS_NOSUID | MountFlags.MS_NODEV, null);
    }

    @AfterEach
    void unmount() throws Exception {
        share.close();
        Mounts.umount2(ext4.toString(), 0);
    }

    @Test
    void realProgramsSeeTheSameThroughTheMountAsOnExt4() throws Exception {
        Programs.assertSameOutput("ops.sh", ext4, share.mnt);
        Programs.assertSameOutput("describe.sh", ext4, share.mnt);
    }

    @Test
    void realProgramsSeeTheSameWithFileHandlesAndAnnouncedSubmounts() throws Exception {
        // not with writeback: Linux sends LSEEK without writing back dirty pages first, so
        // SEEK_HOLE/SEEK_DATA right after cached writes see the host file as it was
        share.close();
        share = new MountedShare(o -> new PassthroughOptions(o.source(), o.cache(), false, false,
                true, o.uids(), o.gids(), true, InodeFileHandles.PREFER));
        Programs.assertSameOutput("ops.sh", ext4, share.mnt);
        Programs.assertSameOutput("describe.sh", share.source, share.mnt);
    }

    @Test
    void aReadOnlyShareRefusesChangesFromRealPrograms() throws Exception {
        share.close();
        share = new MountedShare(o -> o.withReadonly(true));
        Files.writeString(share.source.resolve("f"), "keep\n");
        String out = Programs.run(share.mnt, "bash", "-c", "export LC_ALL=C; cat f; touch g; echo x >> f; rm f; mkdir d;"
                + " ln -s f s; mv f h; chmod 600 f; setfattr -n user.a -v b f; true");
        assertEquals("keep\n"
                + "touch: cannot touch 'g': Read-only file system\n"
                + "bash: line 1: f: Read-only file system\n"
                + "rm: cannot remove 'f': Read-only file system\n"
                + "mkdir: cannot create directory 'd': Read-only file system\n"
                + "ln: failed to create symbolic link 's': Read-only file system\n"
                + "mv: cannot move 'f' to 'h': Read-only file system\n"
                + "chmod: changing permissions of 'f': Read-only file system\n"
                + "setfattr: f: Read-only file system\n", out);
        assertEquals("keep\n", Files.readString(share.source.resolve("f")));
    }

    @Test
    void theHostSeesExactlyWhatTheGuestWrote() throws Exception {
        Programs.runScript("ops.sh", share.mnt);
        Programs.assertSameOutput("describe.sh", share.source, share.mnt);
    }

    @Test
    void hostChangesShowThroughTheMount() throws Exception {
        Files.writeString(share.source.resolve("from-host"), "host data\n");
        assertEquals("host data\n", Programs.run(share.mnt, "cat", "from-host"));
        Files.delete(share.source.resolve("from-host"));
        Thread.sleep(1100); // cache=auto: the guest may trust the old entry for a second
        assertFalse(Programs.run(share.mnt, "ls").contains("from-host"));
    }

    @Test
    void droppedKernelCachesForgetEveryNodeButTheRoot() throws Exception {
        Programs.run(share.mnt, "bash", "-c",
                "mkdir -p d/e && for i in 1 2 3 4 5; do echo $i > d/e/f$i; done; ls -lR > /dev/null");
        assertTrue(share.fs.nodeCount() > 5, "nodes: " + share.fs.nodeCount());
        Programs.run(share.mnt, "bash", "-c", "rm -r d");
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (share.fs.nodeCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, share.fs.nodeCount(), "nodes left after the kernel forgot everything");
    }

    @Test
    void afterUnmountOnlyTheRootRemainsAndNoHandleIsOpen() throws Exception {
        Programs.run(share.mnt, "bash", "-c", "mkdir -p x/y && echo hi > x/y/z && cat x/y/z && ls -la x");
        share.mount().close();
        // FuseMount.close() may return just before its last reader has destroyed the session
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (share.fs.nodeCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(1, share.fs.nodeCount());
        assertEquals(0, share.fs.handleCount());
    }
}

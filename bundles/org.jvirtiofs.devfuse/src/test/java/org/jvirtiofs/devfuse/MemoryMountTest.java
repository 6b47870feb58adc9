package org.jvirtiofs.devfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory provider mounted on the host through /dev/fuse and driven by real programs
 * (cp -a, tar, find, mv, ln, mkfifo, mknod, truncate, dd, setfattr/getfattr, flock, python3),
 * compared with the same programs on tmpfs.
 */
class MemoryMountTest {
    @TempDir
    Path tmp;

    private Path tmpfs;
    private Path mnt;
    private MemoryFilesystem fs;
    private FuseMount mount;

    @BeforeEach
    void mountBoth() throws Exception {
        tmpfs = Files.createDirectory(tmp.resolve("tmpfs"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        // the same nosuid,nodev our FUSE mounts get, so device nodes behave alike
        Mounts.mount("tmpfs", tmpfs.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV,
                "size=512m,mode=755");
        fs = new MemoryFilesystem(MemoryOptions.defaults());
        mount = FuseMount.mount(mnt, fs, MountOptions.defaults());
    }

    @AfterEach
    void unmountBoth() throws Exception {
        if (mount != null) {
            mount.close();
        }
        Mounts.umount2(tmpfs.toString(), 0);
    }

    @Test
    void realProgramsSeeTheSameOnTheMemoryProviderAsOnTmpfs() throws Exception {
        Programs.assertSameOutput("ops.sh", tmpfs, mnt);
        Programs.assertSameOutput("describe.sh", tmpfs, mnt);
    }

    @Test
    void droppedKernelCachesForgetEveryNodeButTheRoot() throws Exception {
        Programs.run(mnt, "bash", "-c", "mkdir -p d/e && for i in 1 2 3 4 5; do echo $i > d/e/f$i; done; ls -lR > /dev/null");
        assertTrue(fs.nodeCount() > 5, "nodes: " + fs.nodeCount());
        Programs.run(mnt, "bash", "-c", "rm -r d");
        Files.writeString(Path.of("/proc/sys/vm/drop_caches"), "2");
        // FORGETs arrive asynchronously after the kernel evicts its inodes
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (fs.nodeCount() > 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(1, fs.nodeCount(), "nodes left after the kernel forgot everything");
    }

    @Test
    void afterUnmountOnlyTheRootRemains() throws Exception {
        Programs.run(mnt, "bash", "-c", "mkdir -p x/y && echo hi > x/y/z && cat x/y/z && ls -la x");
        assertTrue(fs.nodeCount() > 1);
        mount.close();
        assertFalse(mount.isServing());
        assertEquals(1, fs.nodeCount(), "nodes left after unmount");
        mount = null;
    }

    @Test
    void unmountedFromOutsideTheReadersStop() throws Exception {
        Programs.run(mnt, "ls", "-la");
        Mounts.umount2(mnt.toString(), 0);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (mount.isServing() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(mount.isServing());
        mount.close(); // harmless after an outside unmount
        mount = null;
    }
}

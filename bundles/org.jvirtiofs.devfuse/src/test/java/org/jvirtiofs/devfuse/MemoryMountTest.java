package org.jvirtiofs.devfuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;
import org.jvirtiofs.posix.Mounts;

/**
 * The memory provider through the conformance kit (real programs on it and on tmpfs, the same
 * output), and what its lookup counts look like from the kernel's side.
 */
class MemoryMountTest extends ProviderConformanceKit {
    private MemoryFilesystem fs;

    @Override
    protected FuseFilesystem newProvider(Path scratch) {
        fs = new MemoryFilesystem(MemoryOptions.defaults());
        return fs;
    }

    @Test
    void droppedKernelCachesForgetEveryNodeButTheRoot() throws Exception {
        Path mnt = mountpoint();
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
        Programs.run(mountpoint(), "bash", "-c", "mkdir -p x/y && echo hi > x/y/z && cat x/y/z && ls -la x");
        assertTrue(fs.nodeCount() > 1);
        FuseMount mount = mount();
        unmount();
        assertFalse(mount.isServing());
        assertEquals(1, fs.nodeCount(), "nodes left after unmount");
    }

    @Test
    void unmountedFromOutsideTheReadersStop() throws Exception {
        Path mnt = mountpoint();
        Programs.run(mnt, "ls", "-la");
        Mounts.umount2(mnt.toString(), 0);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (mount().isServing() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(mount().isServing());
        unmount(); // harmless after an outside unmount
    }
}

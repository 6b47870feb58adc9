package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;

/**
 * The same layers merged by the kernel's overlayfs and by this provider over /dev/fuse, the same
 * script of reads, copy-ups, deletes, renames, creations over whiteouts, listings and xattrs run
 * on both: every line they print must be the same, and the lower layers must not change at all.
 */
class OverlayDifferentialTest {
    @Test
    void theScriptSeesWhatTheKernelsOverlayfsShows() throws Exception {
        Layers layers = Layers.build();
        String lowers = Layers.checksum(layers.path("l1"), layers.path("l2"));
        Path kernelMnt = Files.createDirectory(layers.path("kernel"));
        Path oursMnt = Files.createDirectory(layers.path("ours"));
        Path work = Files.createDirectory(layers.path("work"));

        layers.mountKernel(layers.upperCopy("kernel-upper"), work, kernelMnt);
        String kernel;
        String kernelXattrs;
        try {
            kernel = Layers.script("script.sh", kernelMnt);
            kernelXattrs = Layers.script("xattr-script.sh", kernelMnt);
        } finally {
            Layers.umount(kernelMnt);
        }

        String ours;
        String oursXattrs;
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(layers.upperCopy("ours-upper")));
                FuseMount mount = FuseMount.mount(oursMnt, fs, MountOptions.defaults().withReaders(2))) {
            ours = Layers.script("script.sh", oursMnt);
            oursXattrs = Layers.script("xattr-script.sh", oursMnt);
        }

        assertEquals(kernel, ours);
        assertEquals(kernelXattrs, oursXattrs);
        assertEquals(lowers, Layers.checksum(layers.path("l1"), layers.path("l2")), "a lower layer changed");
    }
}

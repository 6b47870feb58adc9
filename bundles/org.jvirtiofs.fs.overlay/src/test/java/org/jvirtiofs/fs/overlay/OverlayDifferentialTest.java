package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;

/**
 * The same layers merged by the kernel's overlayfs and by this provider over /dev/fuse, the same
 * script of reads, copy-ups, deletes, renames, creations over whiteouts, listings and xattrs run
 * on both: every line they print must be the same, and the lower layers must not change at all.
 */
class OverlayDifferentialTest {
    @ParameterizedTest
    @EnumSource(WhiteoutFormat.class)
    void theScriptSeesWhatTheKernelsOverlayfsShows(WhiteoutFormat format) throws Exception {
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
            kernelXattrs = Layers.script("host-script.sh", kernelMnt);
        } finally {
            Layers.umount(kernelMnt);
        }

        String ours;
        String oursXattrs;
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(layers.upperCopy("ours-upper"), format));
                FuseMount mount = FuseMount.mount(oursMnt, fs, MountOptions.defaults().withReaders(2))) {
            ours = Layers.script("script.sh", oursMnt);
            oursXattrs = Layers.script("host-script.sh", oursMnt);
        }

        assertEquals(kernel, ours);
        assertEquals(kernelXattrs, oursXattrs);
        assertEquals(lowers, Layers.checksum(layers.path("l1"), layers.path("l2")), "a lower layer changed");
        assertWhiteoutsAre(format, layers.path("ours-upper"));
    }

    /**
     * The upper holds whiteouts of the chosen format only (the starting upper had one 0/0 device),
     * and the overlay's work directory nothing but the index of the hard link copied up.
     */
    private static void assertWhiteoutsAre(WhiteoutFormat format, Path upper) throws Exception {
        Path work = upper.resolve(".wh..wh.jvfs");
        List<String> devices = Layers.run(List.of("find", upper.toString(), "-type", "c")).lines().toList();
        List<String> oci;
        try (Stream<Path> walk = Files.walk(upper)) {
            oci = walk.filter(p -> !p.startsWith(work)).map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(".wh.")).sorted().toList();
        }
        if (format == WhiteoutFormat.OCI) {
            assertEquals(List.of(), devices, "OCI whiteouts are files, and the 0/0 device under dir went with dir");
            assertTrue(oci.containsAll(List.of(".wh..wh..opq", ".wh.dir", ".wh.emptydir", ".wh.file-10")), oci.toString());
        } else {
            assertEquals(List.of(), oci, "overlayfs whiteouts are 0/0 devices");
            assertTrue(devices.containsAll(List.of(upper.resolve("dir").toString(), upper.resolve("emptydir").toString(),
                    upper.resolve("many/file-10").toString())), devices.toString());
        }
        try (Stream<Path> entries = Files.list(work)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, names.size(), "one index entry, for hl1 and hl2: " + names);
            assertTrue(names.get(0).startsWith("index-2-"), names.toString());
        }
    }
}

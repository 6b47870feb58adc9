package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;
import org.jvirtiofs.devfuse.Programs;

/**
 * At cache=never a shared writable mmap of an overlay file needs {@link OverlayOptions#ALLOW_MMAP}
 * (and a kernel that offers DIRECT_IO_ALLOW_MMAP, as the host's here does); the first write
 * through the mapping copies the file up.
 */
class OverlaySharedMmapTest {
    @Test
    void aSharedMappingAtCacheNeverNeedsTheOption() throws Exception {
        Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target").toAbsolutePath()), "mmap-");
        Path lower = Files.createDirectory(base.resolve("lower"));
        Files.writeString(lower.resolve("f"), "content".repeat(1000));
        for (boolean allow : new boolean[] {false, true}) {
            Path upper = Files.createDirectory(base.resolve("upper-" + allow));
            Path mnt = Files.createDirectory(base.resolve("mnt-" + allow));
            OverlayOptions options = OverlayOptions.parse(Map.of(OverlayOptions.LOWER, lower.toString(),
                    OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "never",
                    OverlayOptions.ALLOW_MMAP, allow));
            try (OverlayFilesystem fs = new OverlayFilesystem(options);
                    FuseMount mount = FuseMount.mount(mnt, fs, MountOptions.defaults().withReaders(2))) {
                assertEquals(allow ? "private: content\nshared, then read: written\n"
                        : "private: content\nshared: No such device\n", Programs.runScript("shared-mmap.sh", mnt));
            }
            if (allow) {
                assertEquals("written", Files.readString(upper.resolve("f")).substring(0, 7), "copied up and written");
                assertEquals("content", Files.readString(lower.resolve("f")).substring(0, 7), "the lower is untouched");
            }
        }
    }
}

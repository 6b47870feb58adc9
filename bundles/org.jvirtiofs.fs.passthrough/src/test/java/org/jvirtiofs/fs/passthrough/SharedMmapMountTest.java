package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.devfuse.Programs;

/**
 * A shared writable mmap of a file opened with direct I/O (cache=never, metadata): refused with
 * ENODEV unless the share allows it ({@link PassthroughOptions#ALLOW_MMAP}) and the kernel
 * offers DIRECT_IO_ALLOW_MMAP (Linux 6.6 and later; the host's kernel here). SQLite's WAL mode
 * maps its -shm file so.
 */
class SharedMmapMountTest {
    @ParameterizedTest
    @EnumSource(value = CacheMode.class, names = {"NEVER", "METADATA"})
    void aSharedMappingOfADirectIoFileNeedsTheOption(CacheMode cache) throws Exception {
        try (MountedShare share = new MountedShare(o -> o.withCache(cache))) {
            Files.writeString(share.source.resolve("f"), "content".repeat(1000));
            assertEquals("private: content\nshared: No such device\n",
                    Programs.runScript("shared-mmap.sh", share.mnt));
        }
        try (MountedShare share = new MountedShare(o -> o.withCache(cache).withAllowMmap(true))) {
            Files.writeString(share.source.resolve("f"), "content".repeat(1000));
            assertEquals("private: content\nshared, then read: written\n",
                    Programs.runScript("shared-mmap.sh", share.mnt));
            assertEquals("writtencontent", Files.readString(share.source.resolve("f")).substring(0, 14),
                    "the host file has what the mapping wrote");
        }
    }

    /** The option's string form, as a share's configuration gives it. */
    @Test
    void theOptionIsParsed() {
        assertEquals(true, PassthroughOptions.parse(Map.of("source", "/tmp", "allow-mmap", "true")).allowMmap());
        assertEquals(false, PassthroughOptions.parse(Map.of("source", "/tmp")).allowMmap());
    }
}

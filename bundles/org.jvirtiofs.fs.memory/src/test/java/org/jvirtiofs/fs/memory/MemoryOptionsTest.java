package org.jvirtiofs.fs.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.junit.jupiter.api.Test;

class MemoryOptionsTest {

    private static String failure(Map<String, ?> options) {
        return assertThrows(IllegalArgumentException.class, () -> MemoryOptions.parse(options))
                .getMessage();
    }

    @Test
    void noOptionsGiveTheDefaults() {
        assertEquals(MemoryOptions.defaults(), MemoryOptions.parse(Map.of()));
        assertEquals(1L << 30, MemoryOptions.defaults().size());
        assertEquals(CacheMode.ALWAYS, MemoryOptions.defaults().cache());
    }

    @Test
    void sizesTakeBinarySuffixes() {
        assertEquals(512L << 20, MemoryOptions.parse(Map.of("size", "512m")).size());
        assertEquals(2L << 30, MemoryOptions.parse(Map.of("size", "2G")).size());
        assertEquals(4096, MemoryOptions.parse(Map.of("size", 4096)).size());
        assertEquals(10L << 10, MemoryOptions.parse(Map.of("nr_inodes", "10k")).inodes());
    }

    @Test
    void theModeIsOctalAndIdsAreDecimal() {
        MemoryOptions o = MemoryOptions.parse(Map.of("mode", "1777", "uid", "1000",
                "gid", 4294967295L, "cache", "never"));
        assertEquals(01777, o.rootMode());
        assertEquals(1000, o.rootUid());
        assertEquals(-1, o.rootGid()); // unsigned 32 bits held in an int
        assertEquals(CacheMode.NEVER, o.cache());
    }

    @Test
    void unknownKeysAreIgnored() {
        assertEquals(MemoryOptions.defaults(),
                MemoryOptions.parse(Map.of("service.pid", "x", "readonly", false)));
    }

    @Test
    void aBadSizeIsRefusedNamingTheOptionAndTheValue() {
        String message = failure(Map.of("size", "lots"));
        assertTrue(message.contains("size") && message.contains("'lots'"), message);
        assertTrue(failure(Map.of("size", "0")).contains("size"));
        assertTrue(failure(Map.of("size", "99999999999t")).contains("size"));
        assertTrue(failure(Map.of("nr_inodes", "-1")).contains("nr_inodes"));
    }

    @Test
    void aBadModeOrIdIsRefusedNamingTheOption() {
        assertTrue(failure(Map.of("mode", "999")).contains("mode"));
        assertTrue(failure(Map.of("mode", "17777")).contains("'17777'"));
        assertTrue(failure(Map.of("uid", "-5")).contains("uid"));
        assertTrue(failure(Map.of("gid", "4294967296")).contains("gid"));
    }

    @Test
    void aBadCacheModeOrReadonlyIsRefused() {
        assertTrue(failure(Map.of("cache", "sometimes")).contains("cache"));
        assertTrue(failure(Map.of("readonly", "true")).contains("readonly"));
    }

    @Test
    void theFactoryIsTheMemoryTypeAndMakesIndependentFilesystems() throws Exception {
        MemoryFilesystemFactory factory = new MemoryFilesystemFactory();
        assertEquals("memory", factory.type());
        try (FuseFilesystem a = factory.create(Map.of("size", "1m"));
                FuseFilesystem b = factory.create(Map.of())) {
            a.mkdir(TestFs.ALICE, TestFs.ROOT, TestFs.name("d"), 0755, 0);
            assertEquals(16, a.statfs(TestFs.ALICE, TestFs.ROOT).blocks());
            assertEquals(1, ((MemoryFilesystem) b).nodeCount());
        }
    }

    @Test
    void theFactoryRefusesBadOptions() {
        assertThrows(IllegalArgumentException.class,
                () -> new MemoryFilesystemFactory().create(Map.of("size", "x")));
        assertEquals("jvirtiofs.provider.type", FilesystemFactory.TYPE_PROPERTY);
    }
}

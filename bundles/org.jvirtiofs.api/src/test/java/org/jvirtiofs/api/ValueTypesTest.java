package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ValueTypesTest {
    private static final Attr DIR = new Attr(1, 4096, 8, 0, 0, 0, 0, 0, 0,
            FileMode.S_IFDIR | 0755, 2, 0, 0, 0, 4096, 0);

    @Test
    void negativeEntryHasNodeIdZeroAndKeepsItsTimeout() {
        Entry negative = Entry.negative(Duration.ofSeconds(1));
        assertTrue(negative.isNegative());
        assertEquals(0, negative.nodeId());
        assertEquals(Duration.ofSeconds(1), negative.entryTimeout());
        assertFalse(new Entry(2, 0, DIR, Duration.ZERO, Duration.ZERO).isNegative());
    }

    @Test
    void negativeOrMissingTimeoutsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new Entry(2, 0, DIR, Duration.ofSeconds(-1), Duration.ZERO));
        assertThrows(NullPointerException.class,
                () -> new Entry(2, 0, DIR, Duration.ZERO, null));
        assertThrows(IllegalArgumentException.class,
                () -> new AttrReply(DIR, Duration.ofNanos(-1)));
    }

    @Test
    void attrKnowsItsFileType() {
        assertTrue(DIR.isDirectory());
        assertFalse(DIR.isRegularFile());
        assertEquals(FileMode.S_IFDIR, DIR.fileType());
        Attr submount = DIR.withFlags(Attr.FUSE_ATTR_SUBMOUNT);
        assertEquals(Attr.FUSE_ATTR_SUBMOUNT, submount.flags());
        assertEquals(DIR.mode(), submount.mode());
    }

    @Test
    void direntTypeFollowsFileType() {
        assertEquals(FileMode.DT_DIR, FileMode.direntType(FileMode.S_IFDIR | 0755));
        assertEquals(FileMode.DT_REG, FileMode.direntType(FileMode.S_IFREG | 0644));
        assertEquals(FileMode.DT_LNK, FileMode.direntType(FileMode.S_IFLNK | 0777));
        assertEquals(FileMode.DT_SOCK, FileMode.direntType(FileMode.S_IFSOCK));
        assertEquals(FileMode.DT_FIFO, FileMode.direntType(FileMode.S_IFIFO));
        assertEquals(FileMode.DT_CHR, FileMode.direntType(FileMode.S_IFCHR));
        assertEquals(FileMode.DT_BLK, FileMode.direntType(FileMode.S_IFBLK));
        assertEquals(04755, FileMode.permissions(FileMode.S_IFREG | 04755));
    }

    @Test
    void openReplyReportsItsFopenFlags() {
        OpenReply reply = new OpenReply(9,
                OpenReply.FOPEN_KEEP_CACHE | OpenReply.FOPEN_CACHE_DIR);
        assertTrue(reply.has(OpenReply.FOPEN_KEEP_CACHE));
        assertFalse(reply.has(OpenReply.FOPEN_DIRECT_IO));
        assertEquals(0, OpenReply.of(3).flags());
    }

    @Test
    void unlockedLockReportsNoConflict() {
        assertEquals(FileLock.F_UNLCK, FileLock.unlocked().type());
        assertTrue(new FileLock(0, FileLock.OFFSET_MAX, FileLock.F_WRLCK, 1).toEndOfFile());
    }

    @Test
    void cacheModeParsesOptionValuesAndExplainsBadOnes() {
        assertEquals(CacheMode.AUTO, CacheMode.parse("auto"));
        assertEquals(CacheMode.NEVER, CacheMode.parse(" Never "));
        assertEquals("metadata", CacheMode.METADATA.optionValue());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CacheMode.parse("sometimes"));
        assertTrue(e.getMessage().contains("never, metadata, auto, always"), e.getMessage());
    }

    @Test
    void capabilitiesCarryDistinctFuseInitBits() {
        long seen = 0;
        for (FsCapability c : FsCapability.values()) {
            assertEquals(1, Long.bitCount(c.fuseFlag()), c.name());
            assertEquals(0, seen & c.fuseFlag(), c.name());
            seen |= c.fuseFlag();
        }
        assertEquals(1L << 16, FsCapability.WRITEBACK_CACHE.fuseFlag());
        assertEquals(1L << 27, FsCapability.SUBMOUNTS.fuseFlag());
    }
}

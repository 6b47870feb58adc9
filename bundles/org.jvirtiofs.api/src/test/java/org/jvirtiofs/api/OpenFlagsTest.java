package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jvirtiofs.api.OpenFlags.O_APPEND;
import static org.jvirtiofs.api.OpenFlags.O_DSYNC;
import static org.jvirtiofs.api.OpenFlags.O_RDONLY;
import static org.jvirtiofs.api.OpenFlags.O_RDWR;
import static org.jvirtiofs.api.OpenFlags.O_SYNC;
import static org.jvirtiofs.api.OpenFlags.O_TRUNC;
import static org.jvirtiofs.api.OpenFlags.O_WRONLY;

import org.junit.jupiter.api.Test;

class OpenFlagsTest {

    @Test
    void openFlagsDecodeAccessMode() {
        OpenFlags readOnly = new OpenFlags(O_RDONLY | O_TRUNC);
        OpenFlags writeOnly = new OpenFlags(O_WRONLY | O_APPEND);
        OpenFlags readWrite = new OpenFlags(O_RDWR);
        assertEquals(O_RDONLY, readOnly.accessMode());
        assertEquals(O_WRONLY, writeOnly.accessMode());
        assertEquals(O_RDWR, readWrite.accessMode());
        assertTrue(readOnly.canRead());
        assertFalse(readOnly.canWrite());
        assertFalse(writeOnly.canRead());
        assertTrue(writeOnly.canWrite());
        assertTrue(readWrite.canRead());
        assertTrue(readWrite.canWrite());
    }

    @Test
    void openFlagsReportTheirBits() {
        OpenFlags f = new OpenFlags(O_WRONLY | O_TRUNC | O_APPEND | O_DSYNC);
        assertTrue(f.isTruncate());
        assertTrue(f.isAppend());
        assertTrue(f.isDataSync());
        assertFalse(f.isSync());
        assertFalse(f.isDirect());
        assertFalse(f.isExclusive());
        assertTrue(new OpenFlags(O_SYNC).isDataSync());
    }

    @Test
    void writebackFixupWidensWriteOnlyAndDropsAppend() {
        OpenFlags f = new OpenFlags(O_WRONLY | O_APPEND | O_TRUNC);
        OpenFlags fixed = f.withAccessMode(O_RDWR).without(O_APPEND);
        assertEquals(O_RDWR | O_TRUNC, fixed.bits());
    }

    @Test
    void openFlagValuesAreLinuxX8664() {
        assertEquals(0100, OpenFlags.O_CREAT);
        assertEquals(0200, OpenFlags.O_EXCL);
        assertEquals(01000, O_TRUNC);
        assertEquals(02000, O_APPEND);
        assertEquals(040000, OpenFlags.O_DIRECT);
        assertEquals(0200000, OpenFlags.O_DIRECTORY);
        assertEquals(0400000, OpenFlags.O_NOFOLLOW);
        assertEquals(02000000, OpenFlags.O_CLOEXEC);
        assertEquals(010000000, OpenFlags.O_PATH);
    }
}

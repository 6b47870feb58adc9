package org.jvirtiofs.fuse;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class SessionOptionsTest {

    @Test
    void defaultsCarryOneMibInTwoHundredFiftySixPages() {
        SessionOptions o = SessionOptions.defaults();
        assertEquals(1 << 20, o.maxWrite());
        assertEquals(256, o.maxPages());
        assertEquals(o.maxWrite(), o.maxPages() * FuseConstants.PAGE_SIZE);
        assertEquals(-1L, o.initFlagsMask());
    }

    @Test
    void limitsOutsideTheirWireFieldsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new SessionOptions(4095, 1, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionOptions(4096, 0x10000, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionOptions(4096, 1, -1, 1, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionOptions(4096, 1, 0, 0x10000, 1, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionOptions(4096, 1, 0, 10, 11, 0));
    }

    @Test
    void withMaxWriteGrowsPagesToCarryIt() {
        SessionOptions o = SessionOptions.defaults().withMaxWrite(4 << 20);
        assertEquals(1024, o.maxPages());
    }

    @Test
    void opcodeNamesAndNoReplySet() {
        assertEquals("READDIRPLUS", FuseOpcode.name(FuseOpcode.FUSE_READDIRPLUS));
        assertEquals("TMPFILE", FuseOpcode.name(51));
        assertEquals("OPCODE_4096", FuseOpcode.name(4096));
        assertTrue(FuseOpcode.isNoReply(FuseOpcode.FUSE_FORGET));
        assertTrue(FuseOpcode.isNoReply(FuseOpcode.FUSE_BATCH_FORGET));
        assertTrue(FuseOpcode.isNoReply(FuseOpcode.FUSE_INTERRUPT));
        assertFalse(FuseOpcode.isNoReply(FuseOpcode.FUSE_DESTROY));
    }
}

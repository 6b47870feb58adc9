package org.jvirtiofs.virtiofsd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.jvirtiofs.fuse.FuseOpcode;
import org.junit.jupiter.api.Test;

class RequestTallyTest {
    @Test
    void aGuestsRequestsAreSummedPerOpcodeMostTimeFirstThenStartAgain() {
        RequestTally tally = new RequestTally();
        assertNull(tally.takeSummary(), "a guest that asked nothing is not reported");
        tally.served(FuseOpcode.FUSE_INIT, 0, 40_000, 0);
        tally.served(FuseOpcode.FUSE_LOOKUP, 0, 10_000, 0);
        tally.served(FuseOpcode.FUSE_LOOKUP, 2, 20_000, 0); // errors count as requests served
        tally.served(FuseOpcode.FUSE_LOOKUP, 0, 30_000, 0);
        tally.served(FuseOpcode.FUSE_GETATTR, 0, 5_000, 0);
        assertEquals("5 requests, 0.000 s serving them (21 us each): LOOKUP 3 (20 us) INIT 1 (40 us) GETATTR 1 (5 us)",
                tally.takeSummary());
        assertNull(tally.takeSummary(), "the next guest starts from zero");
        tally.served(FuseOpcode.FUSE_READ, 0, 1_500_000_000, 4096);
        assertEquals("1 request, 1.500 s serving them (1500000 us each): READ 1 (1500000 us)", tally.takeSummary());
    }

    @Test
    void anOpcodeOutOfRangeIsCountedNotThrown() {
        RequestTally tally = new RequestTally();
        tally.served(4096, 0, 1_000, 0);
        tally.served(-1, 0, 1_000, 0);
        assertEquals("2 requests, 0.000 s serving them (1 us each): " + FuseOpcode.name(0) + " 2 (1 us)",
                tally.takeSummary());
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every attack of {@link ConfinementTest} on the per-component O_NOFOLLOW walk, without openat2. */
class ConfinementFallbackTest extends ConfinementTest {
    @Override
    boolean openat2() {
        return false;
    }

    @Test
    void thePropertyTurnsOpenat2OffAndItsAbsenceLeavesItOn() throws Exception {
        try (Confinement c = TestShare.confinedBy(false, Confinement::new)) {
            assertFalse(c.usesOpenat2());
        }
        try (Confinement c = new Confinement()) {
            assertTrue(c.usesOpenat2());
        }
    }
}

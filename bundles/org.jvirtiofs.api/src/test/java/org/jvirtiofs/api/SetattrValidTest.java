package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SetattrValidTest {

    private static Map<Integer, Predicate<SetattrValid>> helpers() {
        Map<Integer, Predicate<SetattrValid>> h = new LinkedHashMap<>();
        h.put(SetattrValid.FATTR_MODE, SetattrValid::hasMode);
        h.put(SetattrValid.FATTR_UID, SetattrValid::hasUid);
        h.put(SetattrValid.FATTR_GID, SetattrValid::hasGid);
        h.put(SetattrValid.FATTR_SIZE, SetattrValid::hasSize);
        h.put(SetattrValid.FATTR_ATIME, SetattrValid::hasAtime);
        h.put(SetattrValid.FATTR_MTIME, SetattrValid::hasMtime);
        h.put(SetattrValid.FATTR_FH, SetattrValid::hasHandle);
        h.put(SetattrValid.FATTR_ATIME_NOW, SetattrValid::hasAtimeNow);
        h.put(SetattrValid.FATTR_MTIME_NOW, SetattrValid::hasMtimeNow);
        h.put(SetattrValid.FATTR_LOCKOWNER, SetattrValid::hasLockOwner);
        h.put(SetattrValid.FATTR_CTIME, SetattrValid::hasCtime);
        h.put(SetattrValid.FATTR_KILL_SUIDGID, SetattrValid::hasKillSuidgid);
        return h;
    }

    @Test
    void setattrValidReportsEachBit() {
        Map<Integer, Predicate<SetattrValid>> helpers = helpers();
        for (int bit : helpers.keySet()) {
            SetattrValid valid = new SetattrValid(bit);
            helpers.forEach((other, helper) ->
                    assertEquals(other == bit, helper.test(valid), bit + " vs " + other));
        }
    }

    @Test
    void fattrBitsAreTheFuseHValues() {
        int expected = 1;
        for (int bit : helpers().keySet()) {
            assertEquals(expected, bit);
            expected <<= 1;
        }
    }

    @Test
    void combinedMaskReportsEveryBitSet() {
        SetattrValid truncate = new SetattrValid(SetattrValid.FATTR_SIZE | SetattrValid.FATTR_FH);
        assertTrue(truncate.hasSize());
        assertTrue(truncate.hasHandle());
        assertFalse(truncate.hasMode());
        assertTrue(truncate.has(SetattrValid.FATTR_SIZE | SetattrValid.FATTR_FH));
        assertFalse(truncate.has(SetattrValid.FATTR_SIZE | SetattrValid.FATTR_MODE));
    }
}

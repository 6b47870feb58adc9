package org.jvirtiofs.posix;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** When a stamp counts, and what a change to the file is. */
class DataStampTest {
    private static final long CHANGED_SEC = 1_700_000_000L;

    private static Stat stat(long size, long mtimeSec, int mtimeNsec, long ctimeSec, int ctimeNsec) {
        return stat(12, 1, size, mtimeSec, mtimeNsec, ctimeSec, ctimeNsec);
    }

    private static Stat stat(long ino, int devMinor, long size, long mtimeSec, int mtimeNsec,
            long ctimeSec, int ctimeNsec) {
        return new Stat(0x7ff, 4096, 0, 1, 0, 0, 0100644, ino, size, 8, 0, 0, 0, 0, 0,
                ctimeSec, ctimeNsec, mtimeSec, mtimeNsec, 0, 0, 8, devMinor, 1);
    }

    private static long millis(long sec, long nsec) {
        return sec * 1000 + nsec / 1_000_000;
    }

    @Test
    void aStampCountsOnlyTwoSecondsAfterTheFilesLastChange() {
        Stat st = stat(10, CHANGED_SEC, 0, CHANGED_SEC, 500_000_000);
        assertFalse(DataStamp.of(st, millis(CHANGED_SEC, 500_000_000)).settled(), "the same tick");
        assertFalse(DataStamp.of(st, millis(CHANGED_SEC + 2, 499_000_000)).settled());
        assertTrue(DataStamp.of(st, millis(CHANGED_SEC + 2, 500_000_000)).settled());
        assertFalse(DataStamp.of(st, millis(CHANGED_SEC - 60, 0)).settled(), "a clock set back");
    }

    @Test
    void anotherFileOrItsSizeMtimeOrCtimeTellsAChange() {
        long now = millis(CHANGED_SEC + 10, 0);
        DataStamp dropped = DataStamp.of(stat(10, CHANGED_SEC, 1, CHANGED_SEC, 2), now);
        assertTrue(dropped.stillValidFor(DataStamp.of(stat(10, CHANGED_SEC, 1, CHANGED_SEC, 2), now + 5000)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(11, CHANGED_SEC, 1, CHANGED_SEC, 2), now)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(10, CHANGED_SEC, 9, CHANGED_SEC, 2), now)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(10, CHANGED_SEC - 1, 1, CHANGED_SEC, 2), now)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(10, CHANGED_SEC, 1, CHANGED_SEC, 3), now)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(10, CHANGED_SEC, 1, CHANGED_SEC + 1, 2), now)));
        // the same times on another file: an overlay's copy-up, a file replaced by a rename
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(13, 1, 10, CHANGED_SEC, 1, CHANGED_SEC, 2), now)));
        assertFalse(dropped.stillValidFor(DataStamp.of(stat(12, 2, 10, CHANGED_SEC, 1, CHANGED_SEC, 2), now)));
        DataStamp unsettled = DataStamp.of(stat(10, CHANGED_SEC, 1, CHANGED_SEC, 2), millis(CHANGED_SEC, 2));
        assertFalse(unsettled.stillValidFor(unsettled), "an unsettled stamp never counts");
    }
}

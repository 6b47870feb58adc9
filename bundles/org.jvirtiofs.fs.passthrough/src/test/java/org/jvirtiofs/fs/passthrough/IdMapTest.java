package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.junit.jupiter.api.Test;

/** The Rust virtiofsd's --translate-uid/--translate-gid forms, parsed and applied. */
class IdMapTest {
    private static IdMap map(String text) {
        return IdMap.parse("uid-map", text, "squash-uid", null);
    }

    private static String rejected(String text) {
        return assertThrows(IllegalArgumentException.class, () -> map(text)).getMessage();
    }

    @Test
    void mapTranslatesARangeBothWays() throws Exception {
        IdMap m = map("map:1000:101000:10");
        assertEquals(101009, m.toHost(1009));
        assertEquals(1010, m.toHost(1010), "outside every range: unchanged");
        assertEquals(1000, m.toGuest(101000));
        assertEquals(5, m.toGuest(5));
    }

    @Test
    void plainRangesAreTheMapForm() throws Exception {
        IdMap m = map("1000:101000:10");
        assertEquals(101001, m.toHost(1001));
        assertEquals(1001, m.toGuest(101001));
    }

    @Test
    void guestAndHostFormsTranslateOneDirectionEach() throws Exception {
        IdMap m = map("guest:2000:3000:10,host:3000:4000:10");
        assertEquals(3005, m.toHost(2005));
        assertEquals(4005, m.toGuest(3005), "host ids follow only the host entry");
        assertEquals(4005, m.toHost(4005), "guest ids of the host entry are not translated back");
    }

    @Test
    void squashFormsMapAWholeRangeOntoOneId() throws Exception {
        IdMap m = map("squash-guest:0:1000:4294967295,squash-host:1000:0:1");
        assertEquals(1000, m.toHost(0));
        assertEquals(1000, m.toHost(-2), "4294967294 is in range");
        assertEquals(-1, m.toHost(-1), "4294967295 is past the end of the range");
        assertEquals(0, m.toGuest(1000));
        assertEquals(1001, m.toGuest(1001));
    }

    @Test
    void forbiddenGuestIdsAreRefusedWithEperm() throws Exception {
        IdMap m = map("forbid-guest:0:1,map:1:1000:1");
        FsException e = assertThrows(FsException.class, () -> m.toHost(0));
        assertEquals(Errno.EPERM, e.errno());
        assertEquals(1000, m.toHost(1));
        assertEquals(0, m.toGuest(0), "forbidding is for guest ids only");
    }

    @Test
    void anySeparatorButDashAndUnderscoreMayStandForColonAndPrefixesIgnoreCase() throws Exception {
        assertEquals(1000, map("Squash-Guest/0/1000/10").toHost(3));
        assertEquals(7, map("forbid-guest;8;1").toHost(7));
    }

    @Test
    void aSquashIdCatchesWhatNoEntryCovers() throws Exception {
        IdMap m = IdMap.parse("uid-map", "map:0:1000:1", "squash-uid", "65534");
        assertEquals(1000, m.toHost(0));
        assertEquals(65534, m.toHost(5));
    }

    @Test
    void malformedEntriesAreNamedWithTheReason() {
        assertEquals("uid-map entry 'squash:0:1:1': 'squash' is not one of map, guest, host, squash-guest, "
                + "squash-host or forbid-guest", rejected("squash:0:1:1"));
        assertEquals("uid-map entry 'forbid-guest:0:1:1': needs 2 numbers", rejected("forbid-guest:0:1:1"));
        assertEquals("uid-map entry 'map:0:1': needs 3 numbers", rejected("map:0:1"));
        assertEquals("uid-map entry 'map': needs a form (map, guest, host, squash-guest, squash-host or "
                + "forbid-guest) and numbers", rejected("map"));
        assertEquals("uid-map entry 'guest:4294967295:0:2': a range must be non-empty and within 0..4294967295",
                rejected("guest:4294967295:0:2"));
        assertEquals("uid-map entry 'guest:5:0:1': overlaps an earlier entry of the same direction",
                rejected("squash-guest:0:1:10,guest:5:0:1"));
        assertEquals("uid-map must hold ids from 0 to 4294967295; got 'map:x:1:1'", rejected("map:x:1:1"));
    }

    @Test
    void entriesOfOppositeDirectionsMayOverlap() throws Exception {
        IdMap m = map("squash-guest:0:1000:100,squash-host:0:0:100");
        assertEquals(1000, m.toHost(50));
        assertEquals(0, m.toGuest(50));
    }
}

package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** virtiofsd's meaning of cache= for a host directory, as passthrough and overlay use it. */
class CacheModeTest {
    @Test
    void eachModeGivesVirtiofsdsTimeoutsAndOpenFlags() {
        assertEquals(Duration.ZERO, CacheMode.NEVER.timeout());
        assertEquals(Duration.ofSeconds(1), CacheMode.AUTO.timeout());
        assertEquals(Duration.ofDays(1), CacheMode.METADATA.timeout());
        assertEquals(Duration.ofDays(1), CacheMode.ALWAYS.timeout());
        assertEquals(OpenReply.FOPEN_DIRECT_IO, CacheMode.NEVER.openFlags());
        assertEquals(0, CacheMode.AUTO.openFlags());
        assertEquals(OpenReply.FOPEN_DIRECT_IO, CacheMode.METADATA.openFlags());
        assertEquals(OpenReply.FOPEN_KEEP_CACHE, CacheMode.ALWAYS.openFlags());
        int cachedListing = OpenReply.FOPEN_CACHE_DIR | OpenReply.FOPEN_KEEP_CACHE;
        assertEquals(0, CacheMode.NEVER.opendirFlags());
        assertEquals(0, CacheMode.AUTO.opendirFlags());
        assertEquals(cachedListing, CacheMode.METADATA.opendirFlags());
        assertEquals(cachedListing, CacheMode.ALWAYS.opendirFlags());
        assertEquals(false, CacheMode.NEVER.listsAttributes());
        assertEquals(true, CacheMode.AUTO.listsAttributes());
        assertEquals(true, CacheMode.METADATA.listsAttributes());
        assertEquals(true, CacheMode.ALWAYS.listsAttributes());
    }
}

package org.jvirtiofs.share;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShareSettingsTest {
    @Test
    void shareKeysAreTakenAndEveryOtherKeyGoesToTheProvider() {
        ShareSettings s = ShareSettings.parse(Map.of("socket", "/run/web.sock", "source", "/srv/web", "cache", "auto",
                "readonly", Boolean.TRUE, "threads", 2, "service.pid", "org.jvirtiofs.share~web",
                "felix.fileinstall.filename", "file:/etc/x.cfg"), "web");
        assertEquals("web", s.name());
        assertEquals("passthrough", s.provider());
        assertEquals("vhost-user:/run/web.sock", s.transport());
        assertEquals(2, s.threads());
        assertEquals(0, s.warmUpSeconds(), "no warm-up unless asked for");
        assertEquals(Map.of("source", "/srv/web", "cache", "auto", "readonly", Boolean.TRUE), s.providerOptions());
        assertEquals("/srv/web", s.source());
    }

    @Test
    void theWarmUpIsAShareKeyFromNoneToAnHour() {
        assertEquals(0, ShareSettings.parse(Map.of("socket", "/a.sock", "warm-up", 0), "w").warmUpSeconds());
        ShareSettings s = ShareSettings.parse(Map.of("socket", "/a.sock", "warm-up", "3600"), "w");
        assertEquals(3600, s.warmUpSeconds());
        assertEquals(Map.of(), s.providerOptions());
        assertEquals("warm-up: '3601' is not a number from 0 to 3600", assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "/a", "warm-up", "3601"), "w")).getMessage());
    }

    @Test
    void exactlyOneTransportIsRequired() {
        IllegalArgumentException neither = assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("source", "/x"), "web"));
        assertTrue(neither.getMessage().contains("exactly one of 'socket'"), neither.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "/a.sock", "mountpoint", "/mnt"), "web"));
        assertEquals("fuse:" + Path.of("/mnt"), ShareSettings.parse(Map.of("mountpoint", "/mnt"), "m").transport());
    }

    @Test
    void badValuesAreOneLineNamingTheKey() {
        assertEquals("socket: 'rel.sock' is not an absolute path", assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "rel.sock"), "web")).getMessage());
        assertEquals("threads: 'many' is not a number from 0 to 64", assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "/a", "threads", "many"), "web")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "/a"), "no/slash")).getMessage().startsWith("name:"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ShareSettings.parse(Map.of("socket", "/a"), "x".repeat(37))).getMessage().startsWith("name:"));
    }

    @Test
    void aSwapKeepsTheTransportAndMergesOptions() {
        ShareSettings s = ShareSettings.parse(Map.of("mountpoint", "/mnt", "source", "/src", "cache", "auto"), "m");
        ShareSettings swapped = s.withProvider("memory", Map.of("cache", "never"));
        assertEquals("memory", swapped.provider());
        assertTrue(swapped.sameTransport(s));
        assertEquals(Map.of("source", "/src", "cache", "never"), swapped.providerOptions());
    }
}

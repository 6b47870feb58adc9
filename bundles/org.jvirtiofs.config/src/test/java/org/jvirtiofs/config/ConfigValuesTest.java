package org.jvirtiofs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    private static String error(Runnable read) {
        return assertThrows(IllegalArgumentException.class, read::run).getMessage();
    }

    @Test
    void stringsFromAFileReadAsTheTypesConfigAdminGives() {
        ConfigValues file = new ConfigValues(Map.of("n", " 7 ", "b", "yes", "l", "a, b,,c", "p", "/srv", "blank", " "));
        ConfigValues typed = new ConfigValues(Map.of("n", 7, "b", Boolean.TRUE, "l", new String[] {"a", "b,c"}));
        assertEquals(7, file.integer("n", 0, 0, 10));
        assertEquals(7, typed.integer("n", 0, 0, 10));
        assertTrue(file.bool("b", false));
        assertTrue(typed.bool("b", false));
        assertEquals(List.of("a", "b", "c"), file.list("l"));
        assertEquals(List.of("a", "b", "c"), typed.list("l"));
        assertEquals("/srv", file.absolutePath("p"));
        assertEquals("fallback", file.string("blank", "fallback"), "blank is absent");
        assertEquals(3, file.integer("missing", 3, 0, 10));
        assertNull(file.absolutePath("missing"));
        assertEquals(List.of(), file.list("missing"));
    }

    @Test
    void errorsNameTheKeyTheValueAndWhatWasExpected() {
        ConfigValues v = new ConfigValues(Map.of("n", "11", "x", "many", "b", "maybe", "p", "rel/path"));
        assertEquals("n: '11' is not a number from 0 to 10", error(() -> v.integer("n", 0, 0, 10)));
        assertEquals("x: 'many' is not a number from 0 to 10", error(() -> v.integer("x", 0, 0, 10)));
        assertEquals("b: 'maybe' is not true or false", error(() -> v.bool("b", false)));
        assertEquals("p: 'rel/path' is not an absolute path", error(() -> v.absolutePath("p")));
    }

    @Test
    void aConfigurationIsNamedByItsPidOrItsFile() {
        assertEquals("web", FactoryConfigurations.nameOf("org.jvirtiofs.share~web", Map.of()));
        assertEquals("web", FactoryConfigurations.nameOf("org.jvirtiofs.share.123",
                Map.of("felix.fileinstall.filename", "file:/etc/org.jvirtiofs.share-web.cfg")));
        assertNull(FactoryConfigurations.nameOf("org.jvirtiofs.share.123", Map.of()));
        Hashtable<String, Object> d = new Hashtable<>(Map.of("a", 1));
        assertEquals(Map.of("a", 1), FactoryConfigurations.toMap(d));
        assertTrue(FactoryConfigurations.isEmpty(Map.of("service.pid", "x", "felix.fileinstall.filename", "f")));
        assertFalse(FactoryConfigurations.isEmpty(Map.of("service.pid", "x", "source", "/srv")));
    }
}

package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    private static final Map<String, String> ALIASES = Map.of(
            "EWOULDBLOCK", "EAGAIN", "ENOATTR", "ENODATA", "ENOTSUP", "EOPNOTSUPP");

    @Test
    void errnoNamesMatchLinux() {
        // Spot checks against asm-generic/errno-base.h and errno.h.
        assertEquals(1, Errno.EPERM);
        assertEquals(2, Errno.ENOENT);
        assertEquals(13, Errno.EACCES);
        assertEquals(34, Errno.ERANGE);
        assertEquals(38, Errno.ENOSYS);
        assertEquals(39, Errno.ENOTEMPTY);
        assertEquals(40, Errno.ELOOP);
        assertEquals(61, Errno.ENODATA);
        assertEquals(95, Errno.EOPNOTSUPP);
        assertEquals(110, Errno.ETIMEDOUT);
        assertEquals(116, Errno.ESTALE);
        assertEquals(122, Errno.EDQUOT);
        assertEquals("ENOENT", Errno.name(2));
    }

    @Test
    void everyConstantIsNamedByName() throws IllegalAccessException {
        for (Field f : Errno.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                String expected = ALIASES.getOrDefault(f.getName(), f.getName());
                assertEquals(expected, Errno.name(f.getInt(null)), f.getName());
            }
        }
    }

    @Test
    void unknownErrnoIsNamedByNumber() {
        assertEquals("errno 999", Errno.name(999));
    }
}

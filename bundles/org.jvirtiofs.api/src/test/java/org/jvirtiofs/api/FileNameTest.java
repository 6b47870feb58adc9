package org.jvirtiofs.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FileNameTest {

    @Test
    void namesThatAreNotUtf8KeepTheirExactBytes() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9};
        FileName name = FileName.of(latin1);
        assertArrayEquals(latin1, name.toByteArray());
        ByteBuffer out = ByteBuffer.allocate(8);
        name.copyTo(out);
        assertEquals(4, out.position());
        assertEquals((byte) 0xE9, out.get(3));
    }

    @Test
    void nameIsACopyNotAView() {
        byte[] bytes = {'a', 'b'};
        FileName name = FileName.of(bytes);
        bytes[0] = 'z';
        name.toByteArray()[1] = 'z';
        assertEquals("ab", name.toString());
    }

    @Test
    void slashNulAndEmptyAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FileName.of("a/b"));
        assertThrows(IllegalArgumentException.class, () -> FileName.of(new byte[] {'a', 0}));
        assertThrows(IllegalArgumentException.class, () -> FileName.of(""));
    }

    @Test
    void equalNamesKeyTheSameMapEntry() {
        Map<FileName, Long> dir = new HashMap<>();
        dir.put(FileName.of("node_modules"), 5L);
        assertEquals(5L, dir.get(FileName.of("node_modules".getBytes())));
        assertNotEquals(FileName.of("a"), FileName.of("b"));
    }

    @Test
    void namesOrderAsStrcmpDoes() {
        assertTrue(FileName.of(new byte[] {(byte) 0xC3}).compareTo(FileName.of("z")) > 0);
        assertTrue(FileName.of("a").compareTo(FileName.of("ab")) < 0);
    }

    @Test
    void dotAndDotDotAreRecognised() {
        assertTrue(FileName.DOT.isDotOrDotDot());
        assertTrue(FileName.of("..").isDotOrDotDot());
        assertFalse(FileName.of("...").isDotOrDotDot());
        assertFalse(FileName.of(".git").isDotOrDotDot());
    }

    @Test
    void readTakesBytesFromTransportMemory() {
        ByteBuffer wire = ByteBuffer.allocateDirect(16);
        wire.put("hello\0rest".getBytes()).flip();
        FileName name = FileName.read(wire, 5);
        assertEquals("hello", name.toString());
        assertEquals(5, wire.position());
        assertEquals(5, name.length());
        assertEquals('h', name.byteAt(0));
    }
}

package org.jvirtiofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A reply as the kernel would read it: what handle() returned, and the bytes it reported.
 *
 * @param used the length handle() returned
 * @param bytes the first {@code used} bytes of the writable memory
 */
record Reply(int used, byte[] bytes) {

    ByteBuffer buf() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    int len() {
        return buf().getInt(0);
    }

    int error() {
        return buf().getInt(4);
    }

    long unique() {
        return buf().getLong(8);
    }

    /** The payload after the 16-byte header, little-endian, position 0. */
    ByteBuffer payload() {
        return ByteBuffer.wrap(bytes, 16, bytes.length - 16).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    byte[] payloadBytes() {
        return Arrays.copyOfRange(bytes, 16, bytes.length);
    }

    /** Asserts a success reply of {@code payloadSize} bytes for {@code unique}. */
    Reply assertOk(long unique, int payloadSize) {
        assertEquals(16 + payloadSize, used, "used length");
        assertEquals(used, len(), "out.len");
        assertEquals(0, error(), "out.error");
        assertEquals(unique, unique(), "out.unique");
        return this;
    }

    /** Asserts a header-only error reply with -errno. */
    Reply assertError(long unique, int errno) {
        assertEquals(16, used, "used length");
        assertEquals(16, len(), "out.len");
        assertEquals(-errno, error(), "out.error");
        assertEquals(unique, unique(), "out.unique");
        return this;
    }
}

package org.jvirtiofs.fuse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Expected reply structs written out by hand at their fuse.h offsets, independently of the
 * session's encoders, so the two check each other.
 */
final class Expect {
    private Expect() {
    }

    /** fuse_attr (88 bytes) of {@link RecordingFs#ATTR}. */
    static byte[] attr() {
        ByteBuffer b = le(88);
        b.putLong(0, 0x1111_2222_3333_4444L); // ino
        b.putLong(8, 0x5555L); // size
        b.putLong(16, 0x66L); // blocks
        b.putLong(24, 1_700_000_001L); // atime
        b.putLong(32, 1_700_000_002L); // mtime
        b.putLong(40, 1_700_000_003L); // ctime
        b.putInt(48, 111); // atimensec
        b.putInt(52, 222);
        b.putInt(56, 333);
        b.putInt(60, 0100644); // mode
        b.putInt(64, 2); // nlink
        b.putInt(68, 1000); // uid
        b.putInt(72, 1001); // gid
        b.putInt(76, 0x0801); // rdev
        b.putInt(80, 4096); // blksize
        b.putInt(84, 0); // flags
        return b.array();
    }

    /** fuse_entry_out (128 bytes) of {@link RecordingFs#ENTRY}. */
    static byte[] entry() {
        ByteBuffer b = le(128);
        b.putLong(0, 7); // nodeid
        b.putLong(8, 3); // generation
        b.putLong(16, 5); // entry_valid
        b.putLong(24, 8); // attr_valid
        b.putInt(32, 6); // entry_valid_nsec
        b.putInt(36, 9); // attr_valid_nsec
        b.put(40, attr());
        return b.array();
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static void assertBytes(byte[] expected, ByteBuffer actual, int offset) {
        byte[] got = new byte[expected.length];
        actual.get(offset, got);
        assertArrayEquals(expected, got);
    }
}

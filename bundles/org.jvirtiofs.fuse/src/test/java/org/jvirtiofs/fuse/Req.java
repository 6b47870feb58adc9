package org.jvirtiofs.fuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds request bytes by hand, field by field as fuse.h lays them out (little-endian). */
final class Req {
    static final int UID = 1000;
    static final int GID = 1001;
    static final int PID = 4242;

    private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    private Req(int opcode, long nodeId) {
        b.putInt(0); // len, set by bytes()
        b.putInt(opcode);
        b.putLong(0); // unique, set by bytes()
        b.putLong(nodeId);
        b.putInt(UID);
        b.putInt(GID);
        b.putInt(PID);
        b.putInt(0);
    }

    static Req of(int opcode, long nodeId) {
        return new Req(opcode, nodeId);
    }

    Req u16(int v) {
        room(2);
        b.putShort((short) v);
        return this;
    }

    Req u32(int v) {
        room(4);
        b.putInt(v);
        return this;
    }

    Req u64(long v) {
        room(8);
        b.putLong(v);
        return this;
    }

    Req zeros(int n) {
        room(n);
        b.put(new byte[n]);
        return this;
    }

    /** A NUL-terminated string. */
    Req str(String s) {
        room(s.length() * 4 + 1);
        b.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
        return this;
    }

    Req raw(byte[] bytes) {
        room(bytes.length);
        b.put(bytes);
        return this;
    }

    Req raw(String s) {
        return raw(s.getBytes(StandardCharsets.UTF_8));
    }

    private void room(int n) {
        if (b.remaining() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                    .order(ByteOrder.LITTLE_ENDIAN);
            b = bigger.put(b.flip());
        }
    }

    /** The request with in.len and unique filled in. */
    byte[] bytes(long unique) {
        byte[] out = Arrays.copyOf(b.array(), b.position());
        ByteBuffer w = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        w.putInt(0, out.length);
        w.putLong(8, unique);
        return out;
    }
}

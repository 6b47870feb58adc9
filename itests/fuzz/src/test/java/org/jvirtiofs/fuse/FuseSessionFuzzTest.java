package org.jvirtiofs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;

/**
 * Any bytes a guest can put in a request's readable segments, split anywhere, with any room for
 * the reply: the session answers within that room, with a well-formed header and an errno the
 * kernel accepts, or drops the request; nothing throws and no request reaches a bug (a
 * RuntimeException out of the session or the memory provider, which would be replied EIO).
 *
 * <p>Each input is a conversation: a valid INIT with fuzzed flags, then up to 32 requests whose
 * opcode, node id, arguments and claimed length come from the fuzzer, against one memory
 * provider, so later requests meet the nodes and handles earlier ones made.
 */
class FuseSessionFuzzTest {
    private static final int HEADER = FuseConstants.FUSE_IN_HEADER_SIZE;
    private static final int[] OPCODES = new int[FuseOpcode.FUSE_TMPFILE + 2];
    private static final int MAX_ARGS = 512;
    private static final int MAX_ROOM = 9000;
    /** "Guest memory", reused: allocating direct buffers per request would outrun their cleaning. */
    private static final ByteBuffer REQUEST = ByteBuffer.allocateDirect(FuseConstants.FUSE_IN_HEADER_SIZE + MAX_ARGS + 16);
    private static final ByteBuffer REPLY = ByteBuffer.allocateDirect(MAX_ROOM);

    static {
        for (int i = 0; i < OPCODES.length; i++) {
            OPCODES[i] = i; // 0 and TMPFILE + 1 are unknown opcodes
        }
    }

    @FuzzTest(maxDuration = "60s")
    void requests(FuzzedDataProvider data) {
        List<Throwable> bugs = new ArrayList<>();
        RequestObserver observer = new RequestObserver() {
            @Override
            public void served(int opcode, int errno, long nanos, long payloadBytes) {
            }

            @Override
            public void failed(int opcode, Throwable bug) {
                bugs.add(bug);
            }
        };
        // small, so that writes at fuzzed offsets meet the size limit rather than the heap's
        FuseSession session = new FuseSession(new MemoryFilesystem(new MemoryOptions(1 << 20, 256,
                0755, 0, 0, MemoryOptions.defaults().cache())), SessionOptions.defaults(), observer);
        long unique = 1;
        serve(session, data, request(FuseOpcode.FUSE_INIT, unique++, 0, init(data.consumeInt())), 256);
        for (int n = 0; n < 32 && data.remainingBytes() > 0; n++) {
            int opcode = data.pickValue(OPCODES);
            long nodeId = data.consumeBoolean() ? data.consumeLong(0, 8) : data.consumeLong();
            byte[] args = data.consumeBytes(data.consumeInt(0, MAX_ARGS));
            ByteBuffer request = request(opcode, unique++, nodeId, args);
            if (data.consumeBoolean()) {
                request.putInt(0, data.consumeInt()); // a length that lies
            }
            serve(session, data, request, data.consumeInt(0, MAX_ROOM));
            assertTrue(bugs.isEmpty(), () -> "a request reached a bug: " + bugs.get(0));
        }
        session.destroy();
        assertTrue(bugs.isEmpty(), () -> "a request reached a bug: " + bugs.get(0));
    }

    /** Serves one request split into fuzzed segments, with {@code room} writable bytes, and checks the reply. */
    private static void serve(FuseSession session, FuzzedDataProvider data, ByteBuffer request, int room) {
        ByteBuffer memory = inMemory(request);
        ByteBuffer[] readable = split(data, memory);
        // the reply room, cleared: a stale header from the last request must not pass for a reply
        ByteBuffer reply = REPLY.duplicate().clear().limit(room);
        for (int i = 0; i < Math.min(room, 64); i++) {
            reply.put(i, (byte) 0);
        }
        ByteBuffer[] writable = split(data, reply.duplicate());
        String before = bounds(readable) + bounds(writable);
        int length = session.handle(readable, writable);
        assertEquals(before, bounds(readable) + bounds(writable), "the session moved a segment's position or limit");
        assertTrue(length >= 0 && length <= room, "reply of " + length + " bytes in " + room);
        if (length > 0) {
            reply.order(ByteOrder.LITTLE_ENDIAN);
            assertTrue(length >= FuseConstants.FUSE_OUT_HEADER_SIZE, "a reply shorter than its header: " + length);
            assertEquals(length, reply.getInt(0), "fuse_out_header.len");
            int error = reply.getInt(4);
            assertTrue(error <= 0 && error >= -511, "error " + error);
            assertTrue(error == 0 || length == FuseConstants.FUSE_OUT_HEADER_SIZE, "an error with a payload");
            assertEquals(request.getLong(8), reply.getLong(8), "fuse_out_header.unique");
        }
    }

    private static String bounds(ByteBuffer[] segments) {
        StringBuilder b = new StringBuilder();
        for (ByteBuffer s : segments) {
            b.append(s.position()).append('-').append(s.limit()).append(' ');
        }
        return b.toString();
    }

    /** {@code whole} (position to limit) as 1 to 4 views cut at fuzzed points. */
    private static ByteBuffer[] split(FuzzedDataProvider data, ByteBuffer whole) {
        int parts = data.consumeInt(1, 4);
        ByteBuffer[] out = new ByteBuffer[parts];
        int at = whole.position();
        for (int i = 0; i < parts; i++) {
            int cut = i == parts - 1 ? whole.limit() : data.consumeInt(at, whole.limit());
            out[i] = whole.duplicate().position(at).limit(cut);
            at = cut;
        }
        return out;
    }

    /** The request as a transport hands it: in guest memory (direct), at an offset into a larger buffer. */
    private static ByteBuffer inMemory(ByteBuffer request) {
        ByteBuffer memory = REQUEST.duplicate().clear();
        memory.position(8).put(request.duplicate()).flip().position(8);
        return memory;
    }

    private static ByteBuffer request(int opcode, long unique, long nodeId, byte[] args) {
        ByteBuffer b = ByteBuffer.allocate(HEADER + args.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HEADER + args.length).putInt(opcode).putLong(unique).putLong(nodeId)
                .putInt(0).putInt(0).putInt(1).putShort((short) 0).putShort((short) 0).put(args);
        return b.flip();
    }

    /** fuse_init_in as Linux 6.1 sends it: 7.37, 128 KiB readahead, the given flags. */
    private static byte[] init(int flags) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(FuseConstants.FUSE_KERNEL_VERSION).putInt(37).putInt(128 << 10).putInt(flags | 1 << 30).putInt(0);
        return b.array();
    }
}

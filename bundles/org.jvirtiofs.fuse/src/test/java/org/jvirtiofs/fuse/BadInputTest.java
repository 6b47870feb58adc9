package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.OptionalLong;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;
import org.junit.jupiter.api.Test;

class BadInputTest {

    static class TouchyFs extends EntryOpsTest.EntryFs {
        @Override
        public StatFs statfs(Context ctx, long nodeId) throws FsException {
            if (nodeId == 66) {
                throw new IllegalStateException("provider bug");
            }
            if (nodeId == 67) {
                throw FsException.of(600); // beyond what the kernel accepts
            }
            return new StatFs(1, 1, 1, 1, 1, 1, 1, 1);
        }

        @Override
        public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
                long offset, OptionalLong lockOwner, OpenFlags flags) {
            dst.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            return 99; // lies: only 3 were committed
        }

        @Override
        public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
                long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
            if (nodeId == 68) {
                src.consume(size + 1); // a provider bug: IllegalArgumentException
            }
            return size + 1; // more than asked
        }
    }

    private final TouchyFs fs = new TouchyFs();
    private final Harness h = Harness.initialized(fs);

    @Test
    void fewerThanSixteenBytesAreDropped() {
        for (int n = 0; n < 16; n++) {
            assertEquals(0, h.call(new byte[n], 4096).used());
        }
    }

    @Test
    void truncatedHeaderIsEinvalWhenUniqueIsKnown() {
        byte[] req = Arrays.copyOf(Req.of(FUSE_GETATTR, 1).u32(0).u32(0).u64(0).bytes(77), 30);
        h.call(req, 4096).assertError(77, Errno.EINVAL);
    }

    @Test
    void truncatedForgetHeaderIsDroppedSilently() {
        byte[] req = Arrays.copyOf(Req.of(FUSE_FORGET, 1).u64(1).bytes(78), 30);
        assertEquals(0, h.call(req, 4096).used());
    }

    @Test
    void inLenLongerThanReadableIsEinval() {
        byte[] req = Req.of(FUSE_LOOKUP, 1).str("x").bytes(79);
        le(req).putInt(0, req.length + 1);
        h.call(req, 4096).assertError(79, Errno.EINVAL);
        assertTrue(fs.calls.stream().noneMatch(c -> c[0].equals("lookup")));
    }

    @Test
    void inLenShorterThanHeaderIsEinval() {
        byte[] req = Req.of(FUSE_STATFS, 1).bytes(80);
        le(req).putInt(0, 39);
        h.call(req, 4096).assertError(80, Errno.EINVAL);
        le(req).putInt(0, -1); // 4 GiB unsigned
        h.call(req, 4096).assertError(80, Errno.EINVAL);
    }

    @Test
    void bytesBeyondInLenAreIgnored() {
        byte[] req = Req.of(FUSE_LOOKUP, 1).str("name").bytes(81);
        byte[] padded = Arrays.copyOf(req, req.length + 100);
        Arrays.fill(padded, req.length, padded.length, (byte) '/');
        h.call(padded, 4096).assertOk(81, 128);
        assertEquals(FileName.of("name"), fs.last()[3]);
    }

    @Test
    void inLenCuttingTheNameMakesItUnterminated() {
        byte[] req = Req.of(FUSE_LOOKUP, 1).str("name").bytes(82);
        le(req).putInt(0, req.length - 1);
        h.call(req, 4096).assertError(82, Errno.EINVAL);
    }

    @Test
    void noRoomForAReplyHeaderDropsWithoutCallingProvider() {
        for (int w = 0; w < 16; w++) {
            assertEquals(0, h.call(Req.of(FUSE_LOOKUP, 1).str("x"), w).used());
        }
        assertTrue(fs.calls.stream().noneMatch(c -> c[0].equals("lookup")));
    }

    @Test
    void nameWithoutNulIsEinval() {
        h.call(Req.of(FUSE_LOOKUP, 1).raw("abc")).assertError(h.lastUnique(), Errno.EINVAL);
    }

    @Test
    void nameWithSlashIsEinval() {
        h.call(Req.of(FUSE_LOOKUP, 1).str("a/b")).assertError(h.lastUnique(), Errno.EINVAL);
        h.call(Req.of(FUSE_MKDIR, 1).u32(0755).u32(0).str("/"))
                .assertError(h.lastUnique(), Errno.EINVAL);
        h.call(Req.of(FUSE_RENAME, 1).u64(1).str("ok").str("x/"))
                .assertError(h.lastUnique(), Errno.EINVAL);
    }

    @Test
    void emptyNameIsEinval() {
        h.call(Req.of(FUSE_LOOKUP, 1).str("")).assertError(h.lastUnique(), Errno.EINVAL);
    }

    @Test
    void truncatedArgumentsAreEinval() {
        h.call(Req.of(FUSE_GETATTR, 1).u64(0)).assertError(h.lastUnique(), Errno.EINVAL);
        h.call(Req.of(FUSE_SETATTR, 1).zeros(87)).assertError(h.lastUnique(), Errno.EINVAL);
        h.call(Req.of(FUSE_READ, 1).zeros(39)).assertError(h.lastUnique(), Errno.EINVAL);
        h.call(Req.of(FUSE_INIT, 0).u32(7).u32(37)).assertError(h.lastUnique(), Errno.EINVAL);
    }

    @Test
    void providerRuntimeExceptionIsEioAndSessionLivesOn() {
        for (int i = 0; i < 3; i++) {
            h.call(Req.of(FUSE_STATFS, 66)).assertError(h.lastUnique(), Errno.EIO);
        }
        h.call(Req.of(FUSE_STATFS, 1)).assertOk(h.lastUnique(), 80);
    }

    @Test
    void errnoTheKernelWouldRejectBecomesEio() {
        h.call(Req.of(FUSE_STATFS, 67)).assertError(h.lastUnique(), Errno.EIO);
    }

    @Test
    void readSendsWhatWasCommittedNotWhatWasClaimed() {
        Reply r = h.call(FileOpsTest.read(0, 10, 0)).assertOk(h.lastUnique(), 3);
        assertArrayEquals(new byte[] {1, 2, 3}, r.payloadBytes());
    }

    @Test
    void writeClaimingMoreThanSentIsEio() {
        h.call(write(3)).assertError(h.lastUnique(), Errno.EIO);
    }

    @Test
    void providerOverconsumingPayloadIsEio() {
        h.call(write(68)).assertError(h.lastUnique(), Errno.EIO);
    }

    private static Req write(long node) {
        return Req.of(FUSE_WRITE, node).u64(1).u64(0).u32(2).u32(0).u64(0).u32(0).u32(0)
                .raw("hi");
    }

    @Test
    void nullReadableOrWritableArraysDoNotEscape() {
        assertEquals(0, h.session.handle(new ByteBuffer[0], new ByteBuffer[0]));
        assertEquals(0, h.session.handle((ByteBuffer[]) null, null));
        assertEquals(0, h.session.handle(new ByteBuffer[] {null}, new ByteBuffer[] {null}));
    }

    @Test
    void manyNegativeLookupsAllReplyEnoent() {
        // The hot error path: a shared FsException, no stack trace, nothing logged.
        for (int i = 0; i < 10_000; i++) {
            h.call(Req.of(FUSE_LOOKUP, 1).str("missing"), 256)
                    .assertError(h.lastUnique(), Errno.ENOENT);
        }
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }
}

package org.jvirtiofs.fuse.wire;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileLock;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.StatFs;
import org.jvirtiofs.fuse.wire.FuseOutArgs.*;
import org.junit.jupiter.api.Test;

/** Encoded sizes against sizeof() of the fuse.h (7.37) structs. */
class WireStructSizesTest {
    private static final Attr ATTR = new Attr(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
            16);
    private static final Entry ENTRY = new Entry(1, 2, ATTR, Duration.ZERO, Duration.ZERO);

    private static int encoded(java.util.function.Consumer<ReplyWriter> enc) {
        ReplyWriter w = new ReplyWriter(new ByteBuffer[] {ByteBuffer.allocate(1024)});
        w.seek(0);
        enc.accept(w);
        return w.position();
    }

    @Test
    void replyStructsHaveTheirKernelSizes() {
        assertEquals(88, encoded(w -> FuseAttr.encode(w, ATTR)));
        assertEquals(128, encoded(w -> FuseEntryOut.encode(w, ENTRY)));
        assertEquals(104, encoded(w -> FuseAttrOut.encode(w, new AttrReply(ATTR, Duration.ZERO))));
        assertEquals(16, encoded(w -> FuseOpenOut.encode(w, OpenReply.of(1))));
        assertEquals(8, encoded(w -> FuseWriteOut.encode(w, 1)));
        assertEquals(80, encoded(w -> FuseStatfsOut.encode(w, new StatFs(1, 2, 3, 4, 5, 6, 7, 8))));
        assertEquals(8, encoded(w -> FuseGetxattrOut.encode(w, 1)));
        assertEquals(24, encoded(w -> FuseLkOut.encode(w, FileLock.unlocked())));
        assertEquals(8, encoded(w -> FuseLseekOut.encode(w, 1)));
        assertEquals(64, encoded(w -> new FuseInitOut(7, 37, 0, 0, 0, 0, 0, 0, 0).encode(w)));
        DirEntry d = new DirEntry(1, 2, 3, FileName.of("abcde"));
        assertEquals(32, encoded(w -> FuseDirent.encode(w, d)));
        assertEquals(160, encoded(w -> FuseDirentplus.encode(w, d, ENTRY)));
        assertEquals(24, FuseDirent.size(0));
        assertEquals(32, FuseDirent.size(1));
        assertEquals(32, FuseDirent.size(8));
        assertEquals(40, FuseDirent.size(9));
        assertEquals(40, FuseInHeader.SIZE);
    }

    @Test
    void requestStructsConsumeTheirKernelSizes() throws FsException {
        assertConsumes(16, r -> FuseInArgs.FuseGetattrIn.read(r));
        assertConsumes(88, r -> FuseInArgs.FuseSetattrIn.read(r));
        assertConsumes(16, r -> FuseInArgs.FuseMknodIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseMkdirIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseRenameIn.read(r));
        assertConsumes(16, r -> FuseInArgs.FuseRename2In.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseLinkIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseOpenIn.read(r));
        assertConsumes(16, r -> FuseInArgs.FuseCreateIn.read(r));
        assertConsumes(24, r -> FuseInArgs.FuseReleaseIn.read(r));
        assertConsumes(24, r -> FuseInArgs.FuseFlushIn.read(r));
        assertConsumes(40, r -> FuseInArgs.FuseReadIn.read(r));
        assertConsumes(40, r -> FuseInArgs.FuseWriteIn.read(r));
        assertConsumes(16, r -> FuseInArgs.FuseFsyncIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseSetxattrIn.read(r, false));
        assertConsumes(16, r -> FuseInArgs.FuseSetxattrIn.read(r, true));
        assertConsumes(8, r -> FuseInArgs.FuseGetxattrIn.read(r));
        assertConsumes(48, r -> FuseInArgs.FuseLkIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseAccessIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseInterruptIn.read(r));
        assertConsumes(32, r -> FuseInArgs.FuseFallocateIn.read(r));
        assertConsumes(24, r -> FuseInArgs.FuseLseekIn.read(r));
        assertConsumes(56, r -> FuseInArgs.FuseCopyFileRangeIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseBatchForgetIn.read(r));
        assertConsumes(16, r -> FuseInArgs.FuseForgetOne.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseForgetIn.read(r));
        assertConsumes(8, r -> FuseInArgs.FuseSyncfsIn.read(r));
        assertConsumes(64, r -> FuseInArgs.FuseInitIn.read(r));
        assertConsumes(40, r -> FuseInHeader.read(r));
    }

    interface Decoder {
        Object read(RequestReader r) throws FsException;
    }

    private static void assertConsumes(int size, Decoder d) throws FsException {
        RequestReader r = new RequestReader(new ByteBuffer[] {ByteBuffer.allocate(200)});
        d.read(r);
        assertEquals(200 - size, r.remaining());
        RequestReader shortOne = new RequestReader(new ByteBuffer[] {ByteBuffer.allocate(
                size == 64 ? 15 : size - 1)});
        assertThrows(FsException.class, () -> d.read(shortOne), "one byte short");
    }

    @Test
    void readerCrossesEmptyAndOneByteSegments() throws FsException {
        byte[] bytes = {1, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 0, 9};
        ByteBuffer[] segs = new ByteBuffer[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            segs[2 * i] = ByteBuffer.allocate(0);
            segs[2 * i + 1] = ByteBuffer.wrap(bytes, i, 1);
        }
        RequestReader r = new RequestReader(segs);
        assertEquals(1, r.struct(8).getLong(0));
        assertEquals(FileName.of("ab"), r.name());
        assertEquals(1, r.remaining());
        assertArrayEquals(new byte[] {9}, r.bytes(1));
        assertEquals(0, r.remaining());
    }
}

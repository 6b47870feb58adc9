package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseConstants.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.junit.jupiter.api.Test;

class InitNegotiationTest {

    private static final long SESSION_FLAGS = FUSE_ASYNC_READ | FUSE_BIG_WRITES
            | FUSE_HAS_IOCTL_DIR | FUSE_AUTO_INVAL_DATA | FUSE_ASYNC_DIO | FUSE_MAX_PAGES
            | FUSE_INIT_EXT;

    @Test
    void linux61InitWithPlainProviderAcceptsOnlyWireFeatures() {
        Harness h = new Harness(new RecordingFs(), SessionOptions.defaults());
        ByteBuffer p = h.init61().payload();
        assertEquals(7, p.getInt(0), "major");
        assertEquals(37, p.getInt(4), "minor");
        assertEquals(128 * 1024, p.getInt(8), "max_readahead: the kernel's, smaller than ours");
        assertEquals((int) SESSION_FLAGS, p.getInt(12), "flags");
        assertEquals(0xFFFF, p.getShort(16) & 0xFFFF, "max_background");
        assertEquals(0xFFFF / 4 * 3, p.getShort(18) & 0xFFFF, "congestion_threshold");
        assertEquals(1 << 20, p.getInt(20), "max_write");
        assertEquals(1, p.getInt(24), "time_gran");
        assertEquals(256, p.getShort(28) & 0xFFFF, "max_pages");
        assertEquals(0, p.getShort(30), "map_alignment");
        assertEquals(0, p.getInt(32), "flags2: SECURITY_CTX refused");
        for (int off = 36; off < 64; off += 4) {
            assertEquals(0, p.getInt(off), "unused at " + off);
        }
    }

    @Test
    void providerCapabilitiesAreAcceptedWhenOffered() {
        RecordingFs fs = new RecordingFs();
        fs.wanted = EnumSet.of(FsCapability.DO_READDIRPLUS, FsCapability.PARALLEL_DIROPS,
                FsCapability.SUBMOUNTS, FsCapability.POSIX_LOCKS, FsCapability.SETXATTR_EXT);
        Harness h = new Harness(fs, SessionOptions.defaults());
        ByteBuffer p = h.init61().payload();
        long expected = SESSION_FLAGS | FUSE_DO_READDIRPLUS | FUSE_PARALLEL_DIROPS
                | FUSE_SUBMOUNTS | FUSE_POSIX_LOCKS | FUSE_SETXATTR_EXT;
        assertEquals((int) expected, p.getInt(12));
        // every FsCapability but DIRECT_IO_ALLOW_MMAP (Linux 6.6) is a flag Linux 6.1 offers
        assertEquals(EnumSet.complementOf(EnumSet.of(FsCapability.DIRECT_IO_ALLOW_MMAP)), fs.offered);
    }

    /** A flag of flags2 (Linux 6.6's DIRECT_IO_ALLOW_MMAP), offered and wanted, is accepted in flags2. */
    @Test
    void aFlags2CapabilityIsAcceptedInFlags2() {
        RecordingFs fs = new RecordingFs();
        fs.wanted = EnumSet.of(FsCapability.DIRECT_IO_ALLOW_MMAP);
        Harness h = new Harness(fs, SessionOptions.defaults());
        long kernel = Harness.LINUX_6_1_FLAGS | FUSE_DIRECT_IO_ALLOW_MMAP;
        long u = h.nextUnique();
        Reply r = h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(39).u32(65536)
                .u32((int) kernel).u32((int) (kernel >>> 32)).zeros(44).bytes(u), 4096).assertOk(u, 64);
        assertTrue(fs.offered.contains(FsCapability.DIRECT_IO_ALLOW_MMAP));
        assertEquals((int) SESSION_FLAGS, r.payload().getInt(12));
        assertEquals((int) (FUSE_DIRECT_IO_ALLOW_MMAP >>> 32), r.payload().getInt(32), "flags2");
    }

    @Test
    void capabilitiesTheKernelDidNotOfferAreNotAccepted() {
        RecordingFs fs = new RecordingFs();
        fs.wanted = EnumSet.of(FsCapability.WRITEBACK_CACHE, FsCapability.SUBMOUNTS);
        Harness h = new Harness(fs, SessionOptions.defaults());
        long kernel = FUSE_ASYNC_READ | FUSE_SUBMOUNTS;
        long u = h.nextUnique();
        Reply r = h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(37).u32(65536)
                .u32((int) kernel).u32(0).zeros(44).bytes(u), 4096).assertOk(u, 64);
        assertEquals(Set.of(FsCapability.SUBMOUNTS), fs.offered);
        assertEquals((int) (FUSE_ASYNC_READ | FUSE_SUBMOUNTS), r.payload().getInt(12));
        assertEquals(0, r.payload().getShort(28), "no MAX_PAGES, no max_pages");
    }

    @Test
    void transportMaskRemovesFlagsFromOfferAndReply() {
        RecordingFs fs = new RecordingFs();
        fs.wanted = EnumSet.of(FsCapability.POSIX_LOCKS, FsCapability.FLOCK_LOCKS);
        SessionOptions opts = SessionOptions.defaults()
                .withoutInitFlags(FUSE_POSIX_LOCKS | FUSE_FLOCK_LOCKS | FUSE_ASYNC_DIO);
        Harness h = new Harness(fs, opts);
        ByteBuffer p = h.init61().payload();
        assertFalse(fs.offered.contains(FsCapability.POSIX_LOCKS));
        assertEquals((int) (SESSION_FLAGS & ~FUSE_ASYNC_DIO), p.getInt(12));
    }

    @Test
    void shortInitInOfKernel731IsUnderstood() {
        RecordingFs fs = new RecordingFs();
        fs.wanted = EnumSet.of(FsCapability.DO_READDIRPLUS);
        Harness h = new Harness(fs, SessionOptions.defaults());
        long kernel = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_DO_READDIRPLUS | FUSE_MAX_PAGES;
        long u = h.nextUnique();
        // 7.31: fuse_init_in is major, minor, max_readahead, flags: 16 bytes.
        Reply r = h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(31).u32(-1)
                .u32((int) kernel).bytes(u), 4096).assertOk(u, 64);
        ByteBuffer p = r.payload();
        assertEquals(31, p.getInt(4), "minor: the kernel's, older than ours");
        assertEquals(Integer.MAX_VALUE, p.getInt(8), "max_readahead: ours, smaller");
        assertEquals((int) kernel, p.getInt(12));
        assertEquals(0, p.getInt(32), "no flags2 without INIT_EXT");
        assertTrue(h.session.isInitialized());
    }

    @Test
    void flags2IsIgnoredWithoutInitExt() {
        Harness h = new Harness(new RecordingFs(), SessionOptions.defaults());
        long u = h.nextUnique();
        Reply r = h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(37).u32(0)
                .u32((int) FUSE_ASYNC_READ).u32(-1).zeros(44).bytes(u), 4096).assertOk(u, 64);
        assertEquals((int) FUSE_ASYNC_READ, r.payload().getInt(12));
        assertEquals(0, r.payload().getInt(32));
    }

    @Test
    void newerMajorGetsOurVersionOnlyAndStaysUninitialized() {
        RecordingFs fs = new RecordingFs();
        Harness h = new Harness(fs, SessionOptions.defaults());
        long u = h.nextUnique();
        Reply r = h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(8).u32(1).u32(0).u32(-1).u32(0)
                .zeros(44).bytes(u), 4096).assertOk(u, 64);
        assertEquals(7, r.payload().getInt(0));
        assertEquals(37, r.payload().getInt(4));
        for (int off = 8; off < 64; off += 4) {
            assertEquals(0, r.payload().getInt(off));
        }
        assertFalse(h.session.isInitialized());
        assertTrue(fs.calls.isEmpty(), "provider not initialized");
    }

    @Test
    void olderMajorOrTooOldMinorIsEproto() {
        Harness h = new Harness(new RecordingFs(), SessionOptions.defaults());
        h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(6).u32(40).u32(0).u32(0), 4096)
                .assertError(h.lastUnique(), Errno.EPROTO);
        h.call(Req.of(FuseOpcode.FUSE_INIT, 0).u32(7).u32(22).u32(0).u32(0), 4096)
                .assertError(h.lastUnique(), Errno.EPROTO);
        assertFalse(h.session.isInitialized());
    }

    @Test
    void requestsBeforeInitGetEio() {
        RecordingFs fs = new RecordingFs();
        Harness h = new Harness(fs, SessionOptions.defaults());
        h.call(Req.of(FuseOpcode.FUSE_GETATTR, 1).u32(0).u32(0).u64(0))
                .assertError(h.lastUnique(), Errno.EIO);
        assertEquals(0, h.call(Req.of(FuseOpcode.FUSE_FORGET, 5).u64(1)).used(),
                "FORGET before INIT: dropped, no reply");
        assertTrue(fs.calls.isEmpty());
    }

    @Test
    void destroyResetsSoThatARemountWorks() {
        RecordingFs fs = new RecordingFs();
        Harness h = Harness.initialized(fs);
        h.call(Req.of(FuseOpcode.FUSE_DESTROY, 0)).assertOk(h.lastUnique(), 0);
        assertEquals(1, fs.destroys);
        assertFalse(h.session.isInitialized());
        h.call(Req.of(FuseOpcode.FUSE_STATFS, 1)).assertError(h.lastUnique(), Errno.EIO);
        h.init61();
        assertEquals(2, fs.calls.stream().filter(c -> c[0].equals("init")).count());
    }

    @Test
    void secondInitWithoutDestroyDestroysFirst() {
        RecordingFs fs = new RecordingFs();
        Harness h = Harness.initialized(fs);
        h.init61();
        assertEquals(1, fs.destroys, "a rebooted guest's old nodes are dropped");
        assertTrue(h.session.isInitialized());
    }

    @Test
    void sessionDestroyWithoutRequestResetsState() {
        RecordingFs fs = new RecordingFs();
        Harness h = Harness.initialized(fs);
        h.session.destroy();
        h.session.destroy();
        assertEquals(1, fs.destroys, "destroy once per mount");
        assertFalse(h.session.isInitialized());
    }

    @Test
    void providerInitFailureIsRepliedAndLeavesSessionUninitialized() {
        RecordingFs fs = new RecordingFs() {
            @Override
            public Set<FsCapability> init(Set<FsCapability> offered) throws FsException {
                throw FsException.of(Errno.EACCES);
            }
        };
        Harness h = new Harness(fs, SessionOptions.defaults());
        h.call(Harness.init61Request(), 4096).assertError(h.lastUnique(), Errno.EACCES);
        assertFalse(h.session.isInitialized());
    }

    @Test
    void maxWriteAndPagesFollowOptions() {
        SessionOptions opts = SessionOptions.defaults().withMaxWrite(128 * 1024);
        Harness h = new Harness(new RecordingFs(), new SessionOptions(128 * 1024, 32, 4096,
                16, 12, -1L));
        ByteBuffer p = h.init61().payload();
        assertEquals(4096, p.getInt(8), "max_readahead: ours, smaller");
        assertEquals(16, p.getShort(16));
        assertEquals(12, p.getShort(18));
        assertEquals(128 * 1024, p.getInt(20));
        assertEquals(32, p.getShort(28));
        assertEquals(256, opts.maxPages(), "withMaxWrite keeps enough pages");
    }

    @Test
    void initReplyNeedsRoomForInitOut() {
        Harness h = new Harness(new RecordingFs(), SessionOptions.defaults());
        h.call(Harness.init61Request(), 16 + 63).assertError(h.lastUnique(), Errno.EIO);
        assertFalse(h.session.isInitialized());
    }
}

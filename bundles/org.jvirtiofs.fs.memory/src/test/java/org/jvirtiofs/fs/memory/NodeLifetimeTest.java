package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.RDWR;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.junit.jupiter.api.Test;

class NodeLifetimeTest {
    private final TestFs t = new TestFs();

    @Test
    void lookupFindsACreatedName() throws Exception {
        Entry created = t.mknod(ROOT, "a");
        Entry found = t.lookup(ROOT, "a");
        assertEquals(created.nodeId(), found.nodeId());
        assertEquals(created.nodeId(), found.attr().ino());
        assertTrue(found.generation() != 0);
    }

    @Test
    void lookupOfMissingNameReturnsANegativeEntryWhenTheGuestMayCache() throws Exception {
        Entry missing = t.lookup(ROOT, "nope");
        assertTrue(missing.isNegative());
        assertTrue(missing.entryTimeout().toSeconds() > 0);
    }

    @Test
    void lookupOfMissingNameThrowsEnoentWithCacheNever() {
        TestFs never = new TestFs(new MemoryOptions(1 << 20, 10, 0755, 0, 0, CacheMode.NEVER));
        assertEquals(Errno.ENOENT, errno(() -> never.lookup(ROOT, "nope")));
    }

    @Test
    void lookupInAFileThrowsEnotdir() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertEquals(Errno.ENOTDIR, errno(() -> t.lookup(file, "x")));
    }

    @Test
    void lookupOfATooLongNameThrowsEnametoolong() {
        assertEquals(Errno.ENAMETOOLONG, errno(() -> t.lookup(ROOT, "x".repeat(256))));
    }

    @Test
    void unknownNodeIdThrowsEstale() {
        assertEquals(Errno.ESTALE, errno(() -> t.attr(999)));
    }

    @Test
    void lookupOfDotAndDotDotResolvesForNfsExport() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        assertEquals(dir, t.fs.lookup(t.ctx, dir, FileName.DOT).nodeId());
        assertEquals(ROOT, t.fs.lookup(t.ctx, dir, FileName.DOT_DOT).nodeId());
        assertEquals(ROOT, t.fs.lookup(t.ctx, ROOT, FileName.DOT_DOT).nodeId());
    }

    @Test
    void afterForgettingEverythingOnlyTheRootRemains() throws Exception {
        Entry dir = t.mkdir(ROOT, "d");
        Entry file = t.mknod(dir.nodeId(), "f");
        Entry again = t.lookup(dir.nodeId(), "f");
        t.fs.unlink(t.ctx, dir.nodeId(), name("f"));
        t.fs.rmdir(t.ctx, ROOT, name("d"));
        assertEquals(3, t.fs.nodeCount()); // the kernel still holds references
        t.forget(dir, file);
        assertEquals(2, t.fs.nodeCount()); // one reference on the file left
        t.forget(again);
        assertEquals(1, t.fs.nodeCount());
    }

    @Test
    void forgetAtOnceDropsSeveralReferences() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        t.lookup(ROOT, "f");
        t.lookup(ROOT, "f");
        t.fs.unlink(t.ctx, ROOT, name("f"));
        t.fs.forget(t.ctx, file, 2);
        assertEquals(2, t.fs.nodeCount());
        t.fs.forget(t.ctx, file, 1);
        assertEquals(1, t.fs.nodeCount());
    }

    @Test
    void aForgottenNodeThatStillHasANameStays() throws Exception {
        Entry file = t.mknod(ROOT, "f");
        t.forget(file);
        assertEquals(2, t.fs.nodeCount());
        assertEquals(file.nodeId(), t.lookup(ROOT, "f").nodeId());
    }

    @Test
    void anUnlinkedFileLivesWhileItIsOpen() throws Exception {
        byte[] data = "still here".getBytes(StandardCharsets.UTF_8);
        long file = t.file("f", data);
        long handle = t.open(file, RDWR);
        t.fs.unlink(t.ctx, ROOT, name("f"));
        t.fs.forget(t.ctx, file, 1);
        assertEquals(0, t.attr(file).nlink());
        assertArrayEquals(data, t.read(file, handle, 0, 100));
        t.release(file, handle);
        assertEquals(1, t.fs.nodeCount());
        assertEquals(Errno.ESTALE, errno(() -> t.attr(file)));
    }

    @Test
    void forgetOfAnUnknownNodeIsIgnored() {
        t.fs.forget(t.ctx, 12345, 1);
        assertEquals(1, t.fs.nodeCount());
    }

    @Test
    void nodeIdsAreNeverReused() throws Exception {
        Entry first = t.mknod(ROOT, "f");
        t.fs.unlink(t.ctx, ROOT, name("f"));
        t.forget(first);
        Entry second = t.mknod(ROOT, "f");
        assertNotEquals(first.nodeId(), second.nodeId());
    }

    @Test
    void destroyDropsEverythingButTheRoot() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long file = t.file("f", new byte[100_000]);
        t.mknod(dir, "g");
        t.open(file, RDWR);
        long free = t.fs.statfs(t.ctx, ROOT).bfree();
        t.fs.destroy();
        assertEquals(1, t.fs.nodeCount());
        assertEquals(List.of(".", ".."), TestFs.names(t.readdir(ROOT, 0)));
        assertEquals(2, t.attr(ROOT).nlink());
        assertTrue(t.fs.statfs(t.ctx, ROOT).bfree() > free);
        assertEquals(t.fs.statfs(t.ctx, ROOT).files() - 1, t.fs.statfs(t.ctx, ROOT).ffree());
    }

    @Test
    void theRootSurvivesForgetAndDestroy() throws Exception {
        t.fs.forget(t.ctx, ROOT, 100);
        t.fs.destroy();
        assertTrue(t.fs.getattr(t.ctx, ROOT, OptionalLong.empty()).attr().isDirectory());
    }

    @Test
    void initAcceptsOnlyWhatWasOfferedAndImplemented() throws Exception {
        Set<FsCapability> offered = EnumSet.of(FsCapability.DO_READDIRPLUS,
                FsCapability.POSIX_LOCKS, FsCapability.WRITEBACK_CACHE);
        assertEquals(EnumSet.of(FsCapability.DO_READDIRPLUS), t.fs.init(offered));
        assertTrue(t.fs.init(EnumSet.allOf(FsCapability.class))
                .contains(FsCapability.HANDLE_KILLPRIV_V2));
    }

    @Test
    void posixLocksAreLeftToTheGuestKernel() {
        assertEquals(Errno.ENOSYS, errno(() -> t.fs.getlk(t.ctx, ROOT, 0, 1,
                org.jvirtiofs.api.FileLock.unlocked())));
    }
}

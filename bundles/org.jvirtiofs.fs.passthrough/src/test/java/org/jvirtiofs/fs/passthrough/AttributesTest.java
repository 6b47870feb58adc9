package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.name;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.SetattrValid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.testkit.SegmentedMemory;

/** getattr, setattr in all its forms, statfs, and owners of new files (credentials, id maps). */
class AttributesTest {
    private TestShare t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    private static Attr attr(int mode, int uid, int gid, long size, long atime, long mtime) {
        return new Attr(0, size, 0, atime, 5, mtime, 6, 0, 0, mode, 0, uid, gid, 0, 0, 0);
    }

    private AttrReply setattr(long node, Attr a, int valid) throws Exception {
        return t.fs.setattr(t.ctx, node, a, new SetattrValid(valid), OptionalLong.empty());
    }

    @Test
    void getattrMatchesTheHostFile() throws Exception {
        t = new TestShare();
        Path f = Files.writeString(t.source.resolve("f"), "12345");
        Entry e = t.lookup(ROOT, "f");
        Attr a = t.fs.getattr(t.ctx, e.nodeId(), OptionalLong.empty()).attr();
        assertEquals(5, a.size());
        assertEquals(Files.getAttribute(f, "unix:mode"), a.mode());
        assertEquals(((java.nio.file.attribute.FileTime) Files.getAttribute(f, "unix:lastModifiedTime"))
                .toInstant().getEpochSecond(), a.mtimeSec());
        assertEquals(1, a.nlink());
    }

    @Test
    void chmodChownTruncateAndTimesReachTheHost() throws Exception {
        t = new TestShare();
        Entry e = t.createFile(ROOT, "f", "0123456789");
        long n = e.nodeId();
        assertEquals(0640, FileMode.permissions(setattr(n, attr(0640, 0, 0, 0, 0, 0),
                SetattrValid.FATTR_MODE).attr().mode()));
        Attr owned = setattr(n, attr(0, 1234, 5678, 0, 0, 0),
                SetattrValid.FATTR_UID | SetattrValid.FATTR_GID).attr();
        assertEquals(1234, owned.uid());
        assertEquals(5678, owned.gid());
        assertEquals(1234, Files.getAttribute(t.source.resolve("f"), "unix:uid"));
        assertEquals(3, setattr(n, attr(0, 0, 0, 3, 0, 0), SetattrValid.FATTR_SIZE).attr().size());
        Attr timed = setattr(n, attr(0, 0, 0, 0, 1_000_000, 2_000_000),
                SetattrValid.FATTR_ATIME | SetattrValid.FATTR_MTIME).attr();
        assertEquals(1_000_000, timed.atimeSec());
        assertEquals(5, timed.atimeNsec());
        assertEquals(2_000_000, timed.mtimeSec());
        Attr now = setattr(n, attr(0, 0, 0, 0, 0, 0),
                SetattrValid.FATTR_MTIME | SetattrValid.FATTR_MTIME_NOW).attr();
        assertEquals(1_000_000, now.atimeSec(), "atime omitted");
        assertEquals(System.currentTimeMillis() / 1000.0, now.mtimeSec(), 5);
    }

    @Test
    void truncateThroughAnOpenHandle() throws Exception {
        t = new TestShare();
        CreateReply c = t.create(ROOT, "f");
        t.write(c.entry().nodeId(), c.open().handle(), 0, "abcdef");
        Attr a = t.fs.setattr(t.ctx, c.entry().nodeId(), attr(0, 0, 0, 2, 0, 0),
                new SetattrValid(SetattrValid.FATTR_SIZE | SetattrValid.FATTR_FH),
                OptionalLong.of(c.open().handle())).attr();
        assertEquals(2, a.size());
        assertEquals("ab", Files.readString(t.source.resolve("f")));
        assertEquals(2, t.fs.getattr(t.ctx, c.entry().nodeId(), OptionalLong.of(c.open().handle())).attr().size());
    }

    @Test
    void killSuidgidClearsSetIdBits() throws Exception {
        t = new TestShare();
        Entry e = t.createFile(ROOT, "f", "x");
        setattr(e.nodeId(), attr(06755, 0, 0, 0, 0, 0), SetattrValid.FATTR_MODE);
        long h = t.fs.open(t.ctx, e.nodeId(), TestShare.RDWR, false).handle();
        t.fs.write(t.ctx, e.nodeId(), h, new SegmentedMemory.Reader(new byte[] {'y'}), 1, 0,
                OptionalLong.empty(), TestShare.RDWR, FuseFilesystem.FUSE_WRITE_KILL_SUIDGID);
        assertEquals(0755, FileMode.permissions(t.fs.getattr(t.ctx, e.nodeId(), OptionalLong.empty()).attr().mode()));
        setattr(e.nodeId(), attr(02745, 0, 0, 0, 0, 0), SetattrValid.FATTR_MODE);
        Attr a = setattr(e.nodeId(), attr(0, 0, 0, 0, 0, 0), SetattrValid.FATTR_KILL_SUIDGID).attr();
        assertEquals(02745, FileMode.permissions(a.mode()), "no group execute: not a set-group-id bit");
    }

    @Test
    void statfsReportsTheHostFilesystem() throws Exception {
        t = new TestShare();
        org.jvirtiofs.api.StatFs s = t.fs.statfs(t.ctx, ROOT);
        assertEquals(255, s.namelen());
        assertEquals(true, s.blocks() > 0 && s.bfree() <= s.blocks() && s.bsize() > 0);
    }

    @Test
    void newFilesBelongToTheCaller() throws Exception {
        t = new TestShare();
        Files.setPosixFilePermissions(t.source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        t.ctx = new Context(1000, 1001, 42);
        t.createFile(ROOT, "f", "x");
        t.mkdir(ROOT, "d");
        t.fs.symlink(t.ctx, ROOT, name("s"), new byte[] {'f'});
        for (String n : List.of("f", "d", "s")) {
            Path p = t.source.resolve(n);
            assertEquals(1000, Files.getAttribute(p, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS), n);
            assertEquals(1001, Files.getAttribute(p, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS), n);
        }
        t.ctx = Context.KERNEL;
        t.createFile(ROOT, "mine", "x");
        assertEquals(0, Files.getAttribute(t.source.resolve("mine"), "unix:uid"), "fsuid restored");
    }

    @Test
    void idMapsTranslateOwnersBothWaysAndSquashTheRest() throws Exception {
        IdMap uids = IdMap.parse("uid-map", "1000:101000:10", "squash-uid", "65534");
        IdMap gids = IdMap.parse("gid-map", "1000:201000:10", "squash-gid", null);
        t = new TestShare(o -> new PassthroughOptions(o.source(), o.cache(), false, false, true,
                uids, gids, false, InodeFileHandles.NEVER));
        Files.setPosixFilePermissions(t.source, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        t.ctx = new Context(1002, 1003, 1);
        Entry mapped = t.createFile(ROOT, "mapped", "x");
        assertEquals(101002, Files.getAttribute(t.source.resolve("mapped"), "unix:uid"));
        assertEquals(201003, Files.getAttribute(t.source.resolve("mapped"), "unix:gid"));
        assertEquals(1002, mapped.attr().uid(), "the guest sees its own ids");
        assertEquals(1003, mapped.attr().gid());
        t.ctx = new Context(5, 5, 1);
        t.createFile(ROOT, "squashed", "x");
        assertEquals(65534, Files.getAttribute(t.source.resolve("squashed"), "unix:uid"));
        assertEquals(5, Files.getAttribute(t.source.resolve("squashed"), "unix:gid"));
        assertEquals(OptionalInt.of(65534), uids.squash());
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.jvirtiofs.fs.passthrough.TestShare.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.SetattrValid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A read-only share serves reads and refuses every change with EROFS. */
class ReadonlyTest {
    private TestShare t;
    private Entry file;
    private Entry dir;

    @BeforeEach
    void share() throws Exception {
        t = new TestShare(o -> o.withReadonly(true));
        Files.writeString(t.source.resolve("f"), "content");
        Files.createDirectory(t.source.resolve("d"));
        file = t.lookup(ROOT, "f");
        dir = t.lookup(ROOT, "d");
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void readsWork() throws Exception {
        assertEquals("content", t.readAll(file.nodeId()));
        assertTrue(t.list(ROOT).contains("f"));
        assertTrue(t.fs.statfs(Context.KERNEL, ROOT).blocks() > 0);
    }

    @Test
    void everyChangeOfNamesIsRefused() {
        Context c = t.ctx;
        assertErrno(Errno.EROFS, () -> t.mkdir(ROOT, "x"));
        assertErrno(Errno.EROFS, () -> t.fs.mknod(c, ROOT, name("x"), FileMode.S_IFIFO | 0644, 0, 0));
        assertErrno(Errno.EROFS, () -> t.fs.symlink(c, ROOT, name("x"), new byte[] {'f'}));
        assertErrno(Errno.EROFS, () -> t.create(ROOT, "x"));
        assertErrno(Errno.EROFS, () -> t.fs.tmpfile(c, ROOT, 0644, TestShare.RDWR, 0));
        assertErrno(Errno.EROFS, () -> t.fs.unlink(c, ROOT, name("f")));
        assertErrno(Errno.EROFS, () -> t.fs.rmdir(c, ROOT, name("d")));
        assertErrno(Errno.EROFS, () -> t.fs.rename(c, ROOT, name("f"), ROOT, name("g"), 0));
        assertErrno(Errno.EROFS, () -> t.fs.link(c, file.nodeId(), ROOT, name("g")));
    }

    @Test
    void everyChangeOfFilesIsRefused() throws Exception {
        Context c = t.ctx;
        Attr attr = new Attr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0600, 0, 0, 0, 0, 0, 0);
        assertErrno(Errno.EROFS, () -> t.fs.setattr(c, file.nodeId(), attr,
                new SetattrValid(SetattrValid.FATTR_MODE), OptionalLong.empty()));
        assertErrno(Errno.EROFS, () -> t.fs.setattr(c, file.nodeId(), attr,
                new SetattrValid(SetattrValid.FATTR_SIZE), OptionalLong.empty()));
        assertErrno(Errno.EROFS, () -> t.fs.open(c, file.nodeId(), TestShare.RDWR, false));
        assertErrno(Errno.EROFS, () -> t.fs.open(c, file.nodeId(), TestShare.WRONLY, false));
        assertErrno(Errno.EROFS, () -> t.fs.open(c, file.nodeId(),
                new OpenFlags(OpenFlags.O_RDONLY | OpenFlags.O_TRUNC), false));
        assertErrno(Errno.EROFS, () -> t.fs.setxattr(c, file.nodeId(), "user.a", new byte[1], 0, 0));
        assertErrno(Errno.EROFS, () -> t.fs.removexattr(c, dir.nodeId(), "user.a"));
        long h = t.fs.open(c, file.nodeId(), TestShare.RDONLY, false).handle();
        assertErrno(Errno.EROFS, () -> t.write(file.nodeId(), h, 0, "x"));
        assertErrno(Errno.EROFS, () -> t.fs.fallocate(c, file.nodeId(), h, 0, 0, 10));
        assertErrno(Errno.EROFS, () -> t.fs.copyFileRange(c, file.nodeId(), h, 0, file.nodeId(), h, 100, 5, 0));
        assertEquals("content", Files.readString(t.source.resolve("f")));
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.FileMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Extended attributes on files, directories and special files; off; never through symlinks. */
class XattrTest {
    private TestShare t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void setGetListRemoveOnFilesAndDirectories() throws Exception {
        t = new TestShare();
        for (Entry e : new Entry[] {t.createFile(ROOT, "f", "x"), t.mkdir(ROOT, "d")}) {
            long n = e.nodeId();
            t.fs.setxattr(t.ctx, n, "user.color", b("blue"), 0, 0);
            t.fs.setxattr(t.ctx, n, "user.empty", new byte[0], 0, 0);
            assertArrayEquals(b("blue"), t.fs.getxattr(t.ctx, n, "user.color", 100));
            assertEquals("user.color\0user.empty\0", new String(t.fs.listxattr(t.ctx, n, 100), StandardCharsets.UTF_8));
            assertErrno(Errno.EEXIST, () -> t.fs.setxattr(t.ctx, n, "user.color", b("red"), FuseFilesystem.XATTR_CREATE, 0));
            assertErrno(Errno.ENODATA, () -> t.fs.setxattr(t.ctx, n, "user.none", b("red"), FuseFilesystem.XATTR_REPLACE, 0));
            t.fs.removexattr(t.ctx, n, "user.color");
            assertErrno(Errno.ENODATA, () -> t.fs.getxattr(t.ctx, n, "user.color", 100));
            assertErrno(Errno.ENODATA, () -> t.fs.removexattr(t.ctx, n, "user.color"));
        }
        UserDefinedFileAttributeView view = Files.getFileAttributeView(t.source.resolve("f"), UserDefinedFileAttributeView.class);
        assertEquals(java.util.List.of("empty"), view.list());
    }

    @Test
    void specialFilesUseThePathFormWithoutBeingOpened() throws Exception {
        t = new TestShare();
        Entry fifo = t.fs.mknod(t.ctx, ROOT, TestShare.name("p"), FileMode.S_IFIFO | 0644, 0, 0);
        t.fs.setxattr(t.ctx, fifo.nodeId(), "trusted.tag", b("v"), 0, 0);
        assertArrayEquals(b("v"), t.fs.getxattr(t.ctx, fifo.nodeId(), "trusted.tag", 10));
        t.fs.removexattr(t.ctx, fifo.nodeId(), "trusted.tag");
        assertEquals(0, t.fs.listxattr(t.ctx, fifo.nodeId(), 0).length);
    }

    @Test
    void aSymlinksXattrsAreItsOwnNeverItsTargets() throws Exception {
        t = new TestShare();
        Path target = Files.writeString(t.base.resolve("outside"), "x");
        Files.getFileAttributeView(target, UserDefinedFileAttributeView.class)
                .write("secret", ByteBuffer.wrap(b("leak")));
        Files.createSymbolicLink(t.source.resolve("s"), target);
        Entry s = t.lookup(ROOT, "s");
        assertErrno(Errno.ENODATA, () -> t.fs.getxattr(t.ctx, s.nodeId(), "user.secret", 100));
        assertFalse(new String(t.fs.listxattr(t.ctx, s.nodeId(), 100), StandardCharsets.UTF_8).contains("secret"));
        assertErrno(Errno.EPERM, () -> t.fs.setxattr(t.ctx, s.nodeId(), "user.x", b("y"), 0, 0));
    }

    @Test
    void xattrOffRepliesEnosysSoTheGuestStopsAsking() throws Exception {
        t = new TestShare(o -> new PassthroughOptions(o.source(), o.cache(), false, false, false,
                o.uids(), o.gids(), false, InodeFileHandles.NEVER));
        Entry f = t.createFile(ROOT, "f", "x");
        assertErrno(Errno.ENOSYS, () -> t.fs.getxattr(t.ctx, f.nodeId(), "user.a", 10));
        assertErrno(Errno.ENOSYS, () -> t.fs.setxattr(t.ctx, f.nodeId(), "user.a", b("x"), 0, 0));
        assertErrno(Errno.ENOSYS, () -> t.fs.listxattr(t.ctx, f.nodeId(), 0));
        assertErrno(Errno.ENOSYS, () -> t.fs.removexattr(t.ctx, f.nodeId(), "user.a"));
    }
}

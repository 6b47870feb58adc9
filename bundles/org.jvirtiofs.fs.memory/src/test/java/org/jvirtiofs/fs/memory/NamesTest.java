package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.junit.jupiter.api.Test;

class NamesTest {
    private final TestFs t = new TestFs();

    @Test
    void linkAddsANameAndCountsIt() throws Exception {
        long file = t.mknod(ROOT, "a").nodeId();
        t.clock.advance(2, 0);
        Entry linked = t.fs.link(t.ctx, file, ROOT, name("b"));
        assertEquals(file, linked.nodeId());
        assertEquals(2, linked.attr().nlink());
        assertEquals(linked.attr().mtimeSec() + 2, linked.attr().ctimeSec());
        t.fs.unlink(t.ctx, ROOT, name("a"));
        assertEquals(1, t.attr(file).nlink());
    }

    @Test
    void linkOfADirectoryThrowsEperm() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        assertEquals(Errno.EPERM, errno(() -> t.fs.link(t.ctx, dir, ROOT, name("e"))));
    }

    @Test
    void linkOntoAnExistingNameThrowsEexist() throws Exception {
        long file = t.mknod(ROOT, "a").nodeId();
        t.mknod(ROOT, "b");
        assertEquals(Errno.EEXIST, errno(() -> t.fs.link(t.ctx, file, ROOT, name("b"))));
    }

    @Test
    void linkOfAnUnlinkedFileThrowsEnoent() throws Exception {
        long file = t.mknod(ROOT, "a").nodeId();
        t.fs.unlink(t.ctx, ROOT, name("a"));
        assertEquals(Errno.ENOENT, errno(() -> t.fs.link(t.ctx, file, ROOT, name("b"))));
    }

    @Test
    void unlinkOfAMissingNameThrowsEnoent() {
        assertEquals(Errno.ENOENT, errno(() -> t.fs.unlink(t.ctx, ROOT, name("a"))));
    }

    @Test
    void unlinkUpdatesTheCtimeOfAFileThatKeepsAName() throws Exception {
        long file = t.mknod(ROOT, "a").nodeId();
        t.fs.link(t.ctx, file, ROOT, name("b"));
        t.clock.advance(4, 0);
        t.fs.unlink(t.ctx, ROOT, name("a"));
        Attr attr = t.attr(file);
        assertEquals(attr.mtimeSec() + 4, attr.ctimeSec());
    }

    @Test
    void symlinkReadsBackItsTarget() throws Exception {
        byte[] target = "../some/where".getBytes(StandardCharsets.UTF_8);
        Entry link = t.fs.symlink(t.ctx, ROOT, name("l"), target);
        assertEquals(FileMode.S_IFLNK | 0777, link.attr().mode());
        assertEquals(target.length, link.attr().size());
        assertArrayEquals(target, t.fs.readlink(t.ctx, link.nodeId()));
    }

    @Test
    void symlinkWithAnEmptyTargetThrowsEnoentAndATooLongOneEnametoolong() {
        assertEquals(Errno.ENOENT, errno(() -> t.fs.symlink(t.ctx, ROOT, name("l"),
                new byte[0])));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> t.fs.symlink(t.ctx, ROOT, name("l"),
                new byte[4096])));
    }

    @Test
    void readlinkOfAFileThrowsEinval() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertEquals(Errno.EINVAL, errno(() -> t.fs.readlink(t.ctx, file)));
    }

    @Test
    void mknodMakesFifosSocketsAndDevicesWithTheirRdev() throws Exception {
        int[] types = {FileMode.S_IFIFO, FileMode.S_IFSOCK, FileMode.S_IFCHR, FileMode.S_IFBLK};
        for (int type : types) {
            Entry e = t.fs.mknod(t.ctx, ROOT, name("n" + type), type | 0666, 0x0801, 022);
            assertEquals(type | 0644, e.attr().mode());
            assertEquals(0x0801, e.attr().rdev());
            assertEquals(type >>> 12, t.readdir(ROOT, 0).get(t.readdir(ROOT, 0).size() - 1)
                    .type());
        }
    }

    @Test
    void mknodOfADirectoryTypeThrowsEpermAndOfAnUnknownTypeEinval() {
        assertEquals(Errno.EPERM, errno(() -> t.fs.mknod(t.ctx, ROOT, name("d"),
                FileMode.S_IFDIR | 0755, 0, 0)));
        assertEquals(Errno.EINVAL, errno(() -> t.fs.mknod(t.ctx, ROOT, name("d"),
                FileMode.S_IFLNK | 0755, 0, 0)));
    }

    @Test
    void creatingATooLongNameThrowsEnametoolong() {
        assertEquals(Errno.ENAMETOOLONG, errno(() -> t.mknod(ROOT, "n".repeat(256))));
    }

    @Test
    void namesAreBytesNotText() throws Exception {
        byte[] latin1 = {(byte) 0xe9, 't', 'e'};
        Entry e = t.fs.mknod(t.ctx, ROOT, org.jvirtiofs.api.FileName.of(latin1),
                FileMode.S_IFREG | 0644, 0, 0);
        assertEquals(e.nodeId(), t.fs.lookup(t.ctx, ROOT, org.jvirtiofs.api.FileName.of(latin1))
                .nodeId());
        assertArrayEquals(latin1, t.readdir(ROOT, 0).get(2).name().toByteArray());
    }
}

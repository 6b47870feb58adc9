package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.TestFs.RDONLY;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.jvirtiofs.fs.memory.TestFs.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.SetattrValid;
import org.junit.jupiter.api.Test;

class DirectoryTest {
    private final TestFs t = new TestFs();

    @Test
    void readdirListsDotsThenNamesInCreationOrder() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        t.mknod(dir, "b");
        t.mkdir(dir, "a");
        List<DirEntry> entries = t.readdir(dir, 0);
        assertEquals(List.of(".", "..", "b", "a"), names(entries));
        assertEquals(dir, entries.get(0).ino());
        assertEquals(ROOT, entries.get(1).ino());
        assertEquals(FileMode.DT_REG, entries.get(2).type());
        assertEquals(FileMode.DT_DIR, entries.get(3).type());
        assertTrue(entries.stream().allMatch(e -> e.nextOffset() > 0));
    }

    @Test
    void readdirResumesAfterAFullReply() throws Exception {
        for (int i = 0; i < 10; i++) {
            t.mknod(ROOT, "f" + i);
        }
        List<String> all = new ArrayList<>();
        long offset = 0;
        for (List<DirEntry> page; !(page = t.readdir(ROOT, offset, 3)).isEmpty(); ) {
            all.addAll(names(page));
            offset = page.get(page.size() - 1).nextOffset();
        }
        assertEquals(names(t.readdir(ROOT, 0)), all);
        assertEquals(12, all.size());
    }

    @Test
    void readdirCookiesStayStableWhileEntriesAreRemoved() throws Exception {
        for (String n : List.of("a", "b", "c", "d")) {
            t.mknod(ROOT, n);
        }
        List<DirEntry> first = t.readdir(ROOT, 0, 3); // ".", "..", "a"
        t.fs.unlink(t.ctx, ROOT, name("a"));
        t.fs.unlink(t.ctx, ROOT, name("b"));
        assertEquals(List.of("c", "d"), names(t.readdir(ROOT, first.get(2).nextOffset())));
    }

    @Test
    void readdirCookiesStayStableWhileEntriesAreAdded() throws Exception {
        t.mknod(ROOT, "a");
        t.mknod(ROOT, "b");
        List<DirEntry> first = t.readdir(ROOT, 0, 3);
        t.mknod(ROOT, "c");
        assertEquals(List.of("b", "c"), names(t.readdir(ROOT, first.get(2).nextOffset())));
    }

    @Test
    void readdirOfARemovedDirectoryListsNothing() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long handle = t.fs.opendir(t.ctx, dir, RDONLY).handle();
        t.fs.rmdir(t.ctx, ROOT, name("d"));
        List<DirEntry> out = new ArrayList<>();
        t.fs.readdir(t.ctx, dir, handle, 0, 4096, out::add);
        assertEquals(List.of(), out);
    }

    @Test
    void readdirplusCountsLookupsOnlyForAcceptedEntries() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long a = t.mknod(dir, "a").nodeId();
        long b = t.mknod(dir, "b").nodeId();
        long handle = t.fs.opendir(t.ctx, dir, RDONLY).handle();
        List<Entry> sent = new ArrayList<>();
        t.fs.readdirplus(t.ctx, dir, handle, 0, 4096, new DirEntryPlusSink() {
            @Override
            public boolean fits(FileName n) {
                return true;
            }

            @Override
            public boolean add(DirEntry dirEntry, Entry entry) {
                return sent.size() < 3 && sent.add(entry); // full before "b"
            }
        });
        assertTrue(sent.get(0).isNegative());
        assertTrue(sent.get(1).isNegative());
        assertEquals(a, sent.get(2).nodeId());
        t.fs.unlink(t.ctx, dir, name("a"));
        t.fs.unlink(t.ctx, dir, name("b"));
        int before = t.fs.nodeCount();
        t.fs.forget(t.ctx, b, 1); // mknod's reference; the refused entry took none
        assertEquals(before - 1, t.fs.nodeCount());
        t.fs.forget(t.ctx, a, 1);
        assertEquals(before - 1, t.fs.nodeCount()); // readdirplus gave a a second one
        t.fs.forget(t.ctx, a, 1);
        assertEquals(before - 2, t.fs.nodeCount());
    }

    @Test
    void readdirplusStopsBeforeANameThatDoesNotFit() throws Exception {
        Entry a = t.mknod(ROOT, "a");
        long handle = t.fs.opendir(t.ctx, ROOT, RDONLY).handle();
        List<Entry> sent = new ArrayList<>();
        t.fs.readdirplus(t.ctx, ROOT, handle, 0, 4096, new DirEntryPlusSink() {
            @Override
            public boolean fits(FileName n) {
                return n.isDotOrDotDot();
            }

            @Override
            public boolean add(DirEntry dirEntry, Entry entry) {
                return sent.add(entry);
            }
        });
        assertEquals(2, sent.size());
        t.fs.unlink(t.ctx, ROOT, name("a"));
        t.forget(a);
        assertEquals(1, t.fs.nodeCount()); // no reference was left behind
    }

    @Test
    void opendirOfAFileThrowsEnotdir() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        assertEquals(Errno.ENOTDIR, errno(() -> t.fs.opendir(t.ctx, file, RDONLY)));
    }

    @Test
    void readdirWithAFileHandleThrowsEnotdir() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDONLY);
        assertEquals(Errno.ENOTDIR, errno(() -> t.fs.readdir(t.ctx, file, handle, 0, 4096,
                e -> true)));
    }

    @Test
    void mkdirCountsALinkOnTheParent() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        assertEquals(3, t.attr(ROOT).nlink());
        assertEquals(2, t.attr(dir).nlink());
        assertEquals(FileMode.S_IFDIR | 0755, t.attr(dir).mode());
        t.fs.rmdir(t.ctx, ROOT, name("d"));
        assertEquals(2, t.attr(ROOT).nlink());
        assertEquals(0, t.attr(dir).nlink());
    }

    @Test
    void mkdirOfAnExistingNameThrowsEexist() throws Exception {
        t.mknod(ROOT, "x");
        assertEquals(Errno.EEXIST, errno(() -> t.mkdir(ROOT, "x")));
    }

    @Test
    void mkdirUpdatesTheParentsMtimeAndCtime() throws Exception {
        t.clock.advance(3, 0);
        t.mkdir(ROOT, "d");
        Attr root = t.attr(ROOT);
        assertEquals(root.atimeSec() + 3, root.mtimeSec());
        assertEquals(root.mtimeSec(), root.ctimeSec());
    }

    @Test
    void rmdirOfANonEmptyDirectoryThrowsEnotempty() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        t.mknod(dir, "f");
        assertEquals(Errno.ENOTEMPTY, errno(() -> t.fs.rmdir(t.ctx, ROOT, name("d"))));
    }

    @Test
    void rmdirOfAFileThrowsEnotdirAndUnlinkOfADirectoryEisdir() throws Exception {
        t.mknod(ROOT, "f");
        t.mkdir(ROOT, "d");
        assertEquals(Errno.ENOTDIR, errno(() -> t.fs.rmdir(t.ctx, ROOT, name("f"))));
        assertEquals(Errno.EISDIR, errno(() -> t.fs.unlink(t.ctx, ROOT, name("d"))));
    }

    @Test
    void rmdirOfAMissingNameThrowsEnoent() {
        assertEquals(Errno.ENOENT, errno(() -> t.fs.rmdir(t.ctx, ROOT, name("d"))));
    }

    @Test
    void creatingInARemovedDirectoryThrowsEnoent() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        t.fs.rmdir(t.ctx, ROOT, name("d"));
        assertEquals(Errno.ENOENT, errno(() -> t.mknod(dir, "f")));
    }

    @Test
    void aSetgidDirectoryPassesOnItsGroupAndTheBit() throws Exception {
        long dir = t.fs.mkdir(TestFs.ROOT_USER, ROOT, name("shared"), 02775, 0).nodeId();
        t.fs.setattr(TestFs.ROOT_USER, dir, new Attr(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 500,
                0, 0, 0), new SetattrValid(SetattrValid.FATTR_GID), OptionalLong.empty());
        Attr file = t.mknod(dir, "f").attr();
        Attr sub = t.mkdir(dir, "sub").attr();
        assertEquals(500, file.gid());
        assertEquals(TestFs.ALICE.uid(), file.uid());
        assertEquals(500, sub.gid());
        assertEquals(FileMode.S_ISGID, sub.mode() & FileMode.S_ISGID);
    }

    @Test
    void readdirMayUpdateAtimeButNotMtime() throws Exception {
        t.mkdir(ROOT, "d");
        t.clock.advance(1, 0);
        t.readdir(ROOT, 0);
        Attr root = t.attr(ROOT);
        assertEquals(root.mtimeSec() + 1, root.atimeSec());
    }
}

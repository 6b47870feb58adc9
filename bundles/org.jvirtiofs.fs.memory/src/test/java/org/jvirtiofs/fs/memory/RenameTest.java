package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.RENAME_EXCHANGE;
import static org.jvirtiofs.api.FuseFilesystem.RENAME_NOREPLACE;
import static org.jvirtiofs.api.FuseFilesystem.RENAME_WHITEOUT;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.jvirtiofs.fs.memory.TestFs.names;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.junit.jupiter.api.Test;

class RenameTest {
    private final TestFs t = new TestFs();

    private void rename(long from, String oldName, long to, String newName, int flags)
            throws Exception {
        t.fs.rename(t.ctx, from, name(oldName), to, name(newName), flags);
    }

    @Test
    void renameMovesAName() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long file = t.mknod(ROOT, "a").nodeId();
        rename(ROOT, "a", dir, "b", 0);
        assertEquals(file, t.lookup(dir, "b").nodeId());
        assertTrue(t.lookup(ROOT, "a").isNegative());
    }

    @Test
    void renameOverAFileReplacesItAndTheOldFileGoesWhenForgotten() throws Exception {
        long a = t.mknod(ROOT, "a").nodeId();
        Entry b = t.mknod(ROOT, "b");
        rename(ROOT, "a", ROOT, "b", 0);
        assertEquals(a, t.lookup(ROOT, "b").nodeId());
        assertEquals(0, t.attr(b.nodeId()).nlink());
        t.forget(b);
        assertEquals(Errno.ESTALE, errno(() -> t.attr(b.nodeId())));
    }

    @Test
    void renameNoreplaceOverAnExistingNameThrowsEexist() throws Exception {
        t.mknod(ROOT, "a");
        t.mknod(ROOT, "b");
        assertEquals(Errno.EEXIST, errno(() -> rename(ROOT, "a", ROOT, "b", RENAME_NOREPLACE)));
        rename(ROOT, "a", ROOT, "c", RENAME_NOREPLACE);
    }

    @Test
    void renameOfAMissingNameThrowsEnoent() {
        assertEquals(Errno.ENOENT, errno(() -> rename(ROOT, "a", ROOT, "b", 0)));
    }

    @Test
    void renameExchangeSwapsNames() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long file = t.mknod(ROOT, "f").nodeId();
        long sub = t.mkdir(dir, "sub").nodeId();
        rename(ROOT, "f", dir, "sub", RENAME_EXCHANGE);
        assertEquals(sub, t.lookup(ROOT, "f").nodeId());
        assertEquals(file, t.lookup(dir, "sub").nodeId());
        // the directory moved up: its ".." and both parents' link counts follow
        assertEquals(ROOT, t.fs.lookup(t.ctx, sub, FileName.DOT_DOT).nodeId());
        assertEquals(2, t.attr(dir).nlink());
        assertEquals(4, t.attr(ROOT).nlink());
    }

    @Test
    void renameExchangeWithAMissingTargetThrowsEnoent() throws Exception {
        t.mknod(ROOT, "a");
        assertEquals(Errno.ENOENT, errno(() -> rename(ROOT, "a", ROOT, "b", RENAME_EXCHANGE)));
    }

    @Test
    void renameExchangeWithNoreplaceOrUnknownFlagsThrowsEinval() throws Exception {
        t.mknod(ROOT, "a");
        t.mknod(ROOT, "b");
        assertEquals(Errno.EINVAL, errno(() -> rename(ROOT, "a", ROOT, "b",
                RENAME_EXCHANGE | RENAME_NOREPLACE)));
        assertEquals(Errno.EINVAL, errno(() -> rename(ROOT, "a", ROOT, "b", 1 << 7)));
    }

    @Test
    void renameADirectoryOverAnEmptyDirectoryWorks() throws Exception {
        long a = t.mkdir(ROOT, "a").nodeId();
        long b = t.mkdir(ROOT, "b").nodeId();
        rename(ROOT, "a", ROOT, "b", 0);
        assertEquals(a, t.lookup(ROOT, "b").nodeId());
        assertEquals(0, t.attr(b).nlink());
        assertEquals(3, t.attr(ROOT).nlink());
    }

    @Test
    void renameADirectoryOverANonEmptyDirectoryThrowsEnotempty() throws Exception {
        t.mkdir(ROOT, "a");
        long b = t.mkdir(ROOT, "b").nodeId();
        t.mknod(b, "f");
        assertEquals(Errno.ENOTEMPTY, errno(() -> rename(ROOT, "a", ROOT, "b", 0)));
    }

    @Test
    void renameADirectoryOverAFileThrowsEnotdir() throws Exception {
        t.mkdir(ROOT, "d");
        t.mknod(ROOT, "f");
        assertEquals(Errno.ENOTDIR, errno(() -> rename(ROOT, "d", ROOT, "f", 0)));
    }

    @Test
    void renameAFileOverADirectoryThrowsEisdir() throws Exception {
        t.mkdir(ROOT, "d");
        t.mknod(ROOT, "f");
        assertEquals(Errno.EISDIR, errno(() -> rename(ROOT, "f", ROOT, "d", 0)));
    }

    @Test
    void renameADirectoryIntoItsOwnSubtreeThrowsEinval() throws Exception {
        long a = t.mkdir(ROOT, "a").nodeId();
        long b = t.mkdir(a, "b").nodeId();
        assertEquals(Errno.EINVAL, errno(() -> rename(ROOT, "a", b, "x", 0)));
        assertEquals(Errno.EINVAL, errno(() -> rename(ROOT, "a", a, "x", 0)));
        assertEquals(Errno.EINVAL, errno(() -> rename(a, "b", ROOT, "a", RENAME_EXCHANGE)));
    }

    @Test
    void renameADirectoryMovesItsParentLink() throws Exception {
        long a = t.mkdir(ROOT, "a").nodeId();
        long b = t.mkdir(ROOT, "b").nodeId();
        long c = t.mkdir(a, "c").nodeId();
        rename(a, "c", b, "c", 0);
        assertEquals(2, t.attr(a).nlink());
        assertEquals(3, t.attr(b).nlink());
        assertEquals(b, t.fs.lookup(t.ctx, c, FileName.DOT_DOT).nodeId());
    }

    @Test
    void renameWhiteoutLeavesACharacterDevice00() throws Exception {
        t.mknod(ROOT, "a");
        rename(ROOT, "a", ROOT, "b", RENAME_WHITEOUT);
        Attr whiteout = t.lookup(ROOT, "a").attr();
        assertEquals(FileMode.S_IFCHR, whiteout.mode());
        assertEquals(0, whiteout.rdev());
        assertEquals(List.of(".", "..", "b", "a"), names(t.readdir(ROOT, 0)));
    }

    @Test
    void renameOfOneNodeOntoAnotherOfItsNamesDoesNothing() throws Exception {
        long a = t.mknod(ROOT, "a").nodeId();
        t.fs.link(t.ctx, a, ROOT, name("b"));
        rename(ROOT, "a", ROOT, "b", 0);
        assertEquals(2, t.attr(a).nlink());
        assertEquals(a, t.lookup(ROOT, "a").nodeId());
    }

    @Test
    void renameUpdatesCtimeOfTheNodeAndMtimeOfBothDirectories() throws Exception {
        long dir = t.mkdir(ROOT, "d").nodeId();
        long file = t.mknod(ROOT, "f").nodeId();
        t.clock.advance(9, 0);
        rename(ROOT, "f", dir, "f", 0);
        Attr moved = t.attr(file);
        assertEquals(moved.mtimeSec() + 9, moved.ctimeSec());
        assertEquals(moved.ctimeSec(), t.attr(ROOT).mtimeSec());
        assertEquals(moved.ctimeSec(), t.attr(dir).mtimeSec());
    }
}

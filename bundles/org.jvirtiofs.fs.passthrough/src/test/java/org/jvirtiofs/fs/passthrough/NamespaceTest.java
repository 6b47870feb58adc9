package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.jvirtiofs.fs.passthrough.TestShare.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.jnr.DescriptorShortage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Names: lookup, creation of every kind, removal, rename flags, hard links, lookup counts. */
class NamespaceTest {
    private TestShare t;

    @BeforeEach
    void share() throws Exception {
        t = new TestShare();
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void lookupOfAHostFileRepliesItsAttributes() throws Exception {
        Files.writeString(t.source.resolve("f"), "hello");
        Entry e = t.lookup(ROOT, "f");
        assertTrue(e.nodeId() > ROOT);
        assertEquals(5, e.attr().size());
        assertTrue(e.attr().isRegularFile());
        assertEquals(Files.getAttribute(t.source.resolve("f"), "unix:ino"), e.attr().ino());
    }

    @Test
    void lookupOfMissingNameRepliesEnoent() {
        assertErrno(Errno.ENOENT, () -> t.lookup(ROOT, "missing"));
    }

    @Test
    void lookupBelowAFileRepliesEnotdir() throws Exception {
        Entry f = t.createFile(ROOT, "f", "x");
        assertErrno(Errno.ENOTDIR, () -> t.lookup(f.nodeId(), "g"));
    }

    @Test
    void lookupsOfOneFileShareANodeUntilForgotten() throws Exception {
        Files.writeString(t.source.resolve("f"), "x");
        Entry a = t.lookup(ROOT, "f");
        Entry b = t.lookup(ROOT, "f");
        assertEquals(a.nodeId(), b.nodeId());
        assertEquals(2, t.fs.nodeCount());
        t.fs.forget(t.ctx, a.nodeId(), 1);
        assertEquals(2, t.fs.nodeCount());
        t.fs.forget(t.ctx, a.nodeId(), 1);
        assertEquals(1, t.fs.nodeCount());
        Entry c = t.lookup(ROOT, "f");
        assertNotEquals(a.nodeId(), c.nodeId(), "node ids are never reused");
        assertErrno(Errno.EBADF, () -> t.fs.getattr(t.ctx, a.nodeId(), java.util.OptionalLong.empty()));
    }

    @Test
    void aKnownFileLookedUpAgainRepliesItsAttributesAsTheyAreNow() throws Exception {
        Path f = Files.writeString(t.source.resolve("f"), "x");
        Entry a = t.lookup(ROOT, "f");
        Files.writeString(f, "longer");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r-----"));
        Entry b = t.lookup(ROOT, "f");
        assertEquals(a.nodeId(), b.nodeId());
        assertEquals(6, b.attr().size());
        assertEquals(0440, b.attr().mode() & 07777);
        t.fs.forget(t.ctx, a.nodeId(), 1);
        assertEquals(2, t.fs.nodeCount(), "the second lookup was counted");
    }

    /**
     * Out of descriptors, the guest only sees EMFILE: the log says why and what to do, once a
     * minute however often it happens (later warnings count the times in between).
     */
    @Test
    void runningOutOfDescriptorsIsExplainedInTheLogOnceAMinute() throws Exception {
        Files.writeString(t.source.resolve("a"), "x");
        Files.writeString(t.source.resolve("b"), "y");
        DescriptorShortage.reset();
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            TestShare.atTheOpenFileLimit(() -> {
                assertErrno(Errno.EMFILE, () -> t.lookup(ROOT, "a"));
                assertErrno(Errno.EMFILE, () -> t.lookup(ROOT, "b"));
                return null;
            });
        } finally {
            System.setErr(err);
            DescriptorShortage.reset();
        }
        String said = log.toString(StandardCharsets.UTF_8);
        assertEquals(1, said.split("out of file descriptors", -1).length - 1, "one warning for both:\n" + said);
        assertTrue(said.contains("WARN"), said);
        assertTrue(said.contains("EMFILE (Too many open files)), the first time: "), said);
        assertTrue(said.contains("the open-files limit, "), said);
        assertTrue(said.contains("inode-file-handles=prefer"), said);
    }

    /**
     * A file the guest holds is looked up by one statx, with no open: so at the open-file limit,
     * where a share holding an O_PATH fd per inode ends up, the guest can still revalidate the
     * files it has, while a file it does not have yet fails with EMFILE.
     */
    @Test
    void aKnownFileIsLookedUpWithoutOpeningItEvenAtTheOpenFileLimit() throws Exception {
        Files.writeString(t.source.resolve("held"), "x");
        Files.writeString(t.source.resolve("new"), "y");
        Entry first = t.lookup(ROOT, "held");
        Entry again = TestShare.atTheOpenFileLimit(() -> {
            assertErrno(Errno.EMFILE, () -> t.lookup(ROOT, "new"));
            return t.lookup(ROOT, "held");
        });
        assertEquals(first.nodeId(), again.nodeId());
        assertEquals(1, again.attr().size());
        t.fs.forget(t.ctx, first.nodeId(), 1);
        assertEquals(2, t.fs.nodeCount(), "the lookup at the limit was counted");
        t.fs.forget(t.ctx, first.nodeId(), 1);
        assertEquals(1, t.fs.nodeCount(), "the root alone");
    }

    @Test
    void aKnownNameTheHostReplacedLooksUpTheNewFile() throws Exception {
        Path f = Files.writeString(t.source.resolve("f"), "old");
        Entry before = t.lookup(ROOT, "f");
        Files.move(Files.writeString(t.source.resolve("g"), "newer"), f, StandardCopyOption.ATOMIC_MOVE);
        Entry after = t.lookup(ROOT, "f");
        assertNotEquals(before.nodeId(), after.nodeId());
        assertEquals(Files.getAttribute(f, "unix:ino"), after.attr().ino());
        assertEquals("newer", t.readAll(after.nodeId()));
        assertEquals("old", t.readAll(before.nodeId()), "the replaced file lives on for its node");
    }

    @Test
    void aKnownNameTheHostRemovedRepliesEnoent() throws Exception {
        Path f = Files.writeString(t.source.resolve("f"), "x");
        t.lookup(ROOT, "f");
        Files.delete(f);
        assertErrno(Errno.ENOENT, () -> t.lookup(ROOT, "f"));
    }

    @Test
    void aKnownSymlinkIsLookedUpAsItself() throws Exception {
        Files.writeString(t.source.resolve("target"), "x");
        Files.createSymbolicLink(t.source.resolve("l"), Path.of("target"));
        Entry a = t.lookup(ROOT, "l");
        Entry b = t.lookup(ROOT, "l");
        assertEquals(a.nodeId(), b.nodeId());
        assertTrue(b.attr().isSymlink());
        assertNotEquals(t.lookup(ROOT, "target").nodeId(), b.nodeId());
    }

    @Test
    void hostHardLinksAreOneNode() throws Exception {
        Path f = Files.writeString(t.source.resolve("f"), "x");
        Files.createLink(t.source.resolve("g"), f);
        assertEquals(t.lookup(ROOT, "f").nodeId(), t.lookup(ROOT, "g").nodeId());
    }

    @Test
    void mkdirCreatesADirectoryWithTheUmaskApplied() throws Exception {
        Entry d = t.fs.mkdir(t.ctx, ROOT, name("d"), 0777, 022);
        assertTrue(d.attr().isDirectory());
        assertEquals(0755, FileMode.permissions(d.attr().mode()));
        assertEquals("rwxr-xr-x",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(t.source.resolve("d"))));
        assertErrno(Errno.EEXIST, () -> t.mkdir(ROOT, "d"));
    }

    @Test
    void mknodCreatesFifosAndDevices() throws Exception {
        Entry fifo = t.fs.mknod(t.ctx, ROOT, name("p"), FileMode.S_IFIFO | 0644, 0, 0);
        assertEquals(FileMode.S_IFIFO, fifo.attr().fileType());
        int rdev = Attrs.linuxDev(1, 3);
        Entry chr = t.fs.mknod(t.ctx, ROOT, name("null"), FileMode.S_IFCHR | 0666, rdev, 0);
        assertEquals(FileMode.S_IFCHR, chr.attr().fileType());
        assertEquals(rdev, chr.attr().rdev());
        assertEquals(Attrs.linuxDev(259, 300000), Attrs.linuxDev(Attrs.major(Attrs.linuxDev(259, 300000)),
                Attrs.minor(Attrs.linuxDev(259, 300000))));
    }

    @Test
    void symlinksAreCreatedAndReadButNeverFollowed() throws Exception {
        Entry s = t.fs.symlink(t.ctx, ROOT, name("s"), "/etc/passwd".getBytes(StandardCharsets.UTF_8));
        assertTrue(s.attr().isSymlink());
        assertEquals("/etc/passwd", Files.readSymbolicLink(t.source.resolve("s")).toString());
        assertArrayEquals("/etc/passwd".getBytes(StandardCharsets.UTF_8), t.fs.readlink(t.ctx, s.nodeId()));
        assertEquals(11, t.lookup(ROOT, "s").attr().size());
        assertErrno(Errno.ELOOP, () -> t.fs.open(t.ctx, s.nodeId(), TestShare.RDONLY, false));
        assertErrno(Errno.ENOTDIR, () -> t.lookup(s.nodeId(), "x"));
    }

    @Test
    void readlinkOfAFileRepliesEinval() throws Exception {
        Entry f = t.createFile(ROOT, "f", "x");
        assertErrno(Errno.EINVAL, () -> t.fs.readlink(t.ctx, f.nodeId()));
    }

    @Test
    void unlinkRemovesNamesButTheNodeLivesOn() throws Exception {
        Entry f = t.createFile(ROOT, "f", "data");
        t.fs.unlink(t.ctx, ROOT, name("f"));
        assertFalse(Files.exists(t.source.resolve("f")));
        assertEquals("data", t.readAll(f.nodeId()));
        assertEquals(0, t.fs.getattr(t.ctx, f.nodeId(), java.util.OptionalLong.empty()).attr().nlink());
        assertErrno(Errno.ENOENT, () -> t.fs.unlink(t.ctx, ROOT, name("f")));
    }

    @Test
    void rmdirRefusesNonEmptyDirectoriesAndFiles() throws Exception {
        Entry d = t.mkdir(ROOT, "d");
        t.createFile(d.nodeId(), "f", "x");
        t.createFile(ROOT, "g", "x");
        assertErrno(Errno.ENOTEMPTY, () -> t.fs.rmdir(t.ctx, ROOT, name("d")));
        assertErrno(Errno.ENOTDIR, () -> t.fs.rmdir(t.ctx, ROOT, name("g")));
        assertErrno(Errno.EISDIR, () -> t.fs.unlink(t.ctx, ROOT, name("d")));
        t.fs.unlink(t.ctx, d.nodeId(), name("f"));
        t.fs.rmdir(t.ctx, ROOT, name("d"));
        assertFalse(Files.exists(t.source.resolve("d")));
    }

    @Test
    void dotNamesCannotBeRemovedOrCreated() {
        assertErrno(Errno.EINVAL, () -> t.fs.rmdir(t.ctx, ROOT, FileName.DOT_DOT));
        assertErrno(Errno.EINVAL, () -> t.fs.mkdir(t.ctx, ROOT, FileName.DOT, 0755, 0));
    }

    @Test
    void renameMovesReplacesAndHonoursItsFlags() throws Exception {
        Entry d = t.mkdir(ROOT, "d");
        t.createFile(ROOT, "a", "A");
        t.createFile(ROOT, "b", "B");
        t.fs.rename(t.ctx, ROOT, name("a"), d.nodeId(), name("a2"), 0);
        assertEquals("A", Files.readString(t.source.resolve("d/a2")));
        assertErrno(Errno.EEXIST, () -> t.fs.rename(t.ctx, ROOT, name("b"), d.nodeId(), name("a2"),
                FuseFilesystem.RENAME_NOREPLACE));
        t.fs.rename(t.ctx, ROOT, name("b"), d.nodeId(), name("a2"), FuseFilesystem.RENAME_EXCHANGE);
        assertEquals("B", Files.readString(t.source.resolve("d/a2")));
        assertEquals("A", Files.readString(t.source.resolve("b")));
        t.fs.rename(t.ctx, ROOT, name("b"), ROOT, name("c"), FuseFilesystem.RENAME_WHITEOUT);
        assertEquals(FileMode.S_IFCHR, t.lookup(ROOT, "b").attr().fileType(), "whiteout left behind");
        assertErrno(Errno.EINVAL, () -> t.fs.rename(t.ctx, ROOT, name("c"), ROOT, name("e"), 1 << 5));
    }

    @Test
    void linkGivesANodeAnotherNameAndCountsALookup() throws Exception {
        Entry f = t.createFile(ROOT, "f", "x");
        Entry d = t.mkdir(ROOT, "d");
        Entry g = t.fs.link(t.ctx, f.nodeId(), d.nodeId(), name("g"));
        assertEquals(f.nodeId(), g.nodeId());
        assertEquals(2, g.attr().nlink());
        assertTrue(Files.isSameFile(t.source.resolve("f"), t.source.resolve("d/g")));
        assertErrno(Errno.EEXIST, () -> t.fs.link(t.ctx, f.nodeId(), ROOT, name("f")));
        assertErrno(Errno.EPERM, () -> t.fs.link(t.ctx, d.nodeId(), ROOT, name("dirlink")));
    }

    @Test
    void nonUtf8NamesReachTheHostAsTheirExactBytes() throws Exception {
        FileName latin1 = FileName.of(new byte[] {'c', 'a', 'f', (byte) 0xe9});
        Entry d = t.mkdir(ROOT, "d");
        Entry made = t.fs.mkdir(t.ctx, d.nodeId(), latin1, 0755, 0);
        assertEquals(made.nodeId(), t.fs.lookup(t.ctx, d.nodeId(), latin1).nodeId());
        int dirFd = org.jvirtiofs.posix.Fs.openat(-100, t.source.resolve("d").toString(),
                org.jvirtiofs.posix.OpenFlags.O_RDONLY | org.jvirtiofs.posix.OpenFlags.O_DIRECTORY, 0);
        try {
            assertTrue(org.jvirtiofs.posix.Fs.getdents64(dirFd).stream()
                    .anyMatch(e -> java.util.Arrays.equals(e.rawName(), latin1.toByteArray())));
        } finally {
            org.jvirtiofs.posix.Io.close(dirFd);
        }
    }

    @Test
    void destroyDropsEveryNodeButTheRoot() throws Exception {
        t.mkdir(ROOT, "d");
        t.createFile(ROOT, "f", "x");
        assertEquals(3, t.fs.nodeCount());
        t.fs.destroy();
        assertEquals(1, t.fs.nodeCount());
        assertEquals(0, t.fs.handleCount());
        assertTrue(t.lookup(ROOT, "d").attr().isDirectory());
    }
}

package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** inode-file-handles=prefer keeps handles instead of fds; announce-submounts flags mount points. */
class FileHandlesTest {
    private TestShare t;

    @AfterEach
    void close() {
        if (t != null) {
            t.close();
        }
    }

    private static long openFds() throws Exception {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private long fdsForLookups(InodeFileHandles mode) throws Exception {
        t = new TestShare(o -> o.withInodeFileHandles(mode));
        for (int i = 0; i < 100; i++) {
            Files.writeString(t.source.resolve("f" + i), "content " + i);
        }
        t.lookup(ROOT, "f0"); // the first lookup opens the mount fd
        long before = openFds();
        List<Entry> entries = new ArrayList<>();
        for (int i = 1; i < 100; i++) {
            entries.add(t.lookup(ROOT, "f" + i));
        }
        long grown = openFds() - before;
        assertEquals("content 42", t.readAll(entries.get(41).nodeId()));
        t.close();
        t = null;
        return grown;
    }

    @Test
    void preferHoldsNoFdPerInodeWhereNeverHoldsOne() throws Exception {
        assertTrue(fdsForLookups(InodeFileHandles.NEVER) >= 99);
        assertTrue(fdsForLookups(InodeFileHandles.PREFER) < 5);
    }

    @Test
    void everyOperationWorksOnInodesKeptAsHandles() throws Exception {
        t = new TestShare(o -> o.withInodeFileHandles(InodeFileHandles.PREFER));
        Entry d = t.mkdir(ROOT, "d");
        Entry f = t.createFile(d.nodeId(), "f", "hello");
        t.fs.symlink(t.ctx, d.nodeId(), TestShare.name("s"), new byte[] {'f'});
        assertEquals("hello", t.readAll(f.nodeId()));
        assertEquals(List.of(".", "..", "f", "s"), t.list(d.nodeId()).stream().sorted().toList());
        t.fs.rename(t.ctx, d.nodeId(), TestShare.name("f"), ROOT, TestShare.name("g"), 0);
        assertEquals("hello", t.readAll(f.nodeId()), "a handle survives renames");
        assertEquals("f", new String(t.fs.readlink(t.ctx, t.lookup(d.nodeId(), "s").nodeId())));
        t.fs.link(t.ctx, f.nodeId(), d.nodeId(), TestShare.name("h"));
        assertEquals(2, t.fs.getattr(t.ctx, f.nodeId(), java.util.OptionalLong.empty()).attr().nlink());
        t.fs.setxattr(t.ctx, f.nodeId(), "user.k", new byte[] {'v'}, 0, 0);
        assertEquals(ROOT, t.fs.lookup(t.ctx, d.nodeId(), org.jvirtiofs.api.FileName.DOT_DOT).nodeId());
    }

    @Test
    void aReusedInodeNumberIsANewNodeNotTheForgottenFilesStaleHandle() throws Exception {
        t = new TestShare(o -> o.withInodeFileHandles(InodeFileHandles.PREFER));
        Path old = Files.writeString(t.source.resolve("old"), "old");
        Entry held = t.lookup(ROOT, "old"); // the guest keeps this node
        Object ino = Files.getAttribute(old, "unix:ino");
        Files.delete(old);
        Path reuser = null;
        for (int i = 0; i < 200 && reuser == null; i++) {
            Path p = Files.writeString(t.source.resolve("new" + i), "new");
            if (Files.getAttribute(p, "unix:ino").equals(ino)) {
                reuser = p;
            }
        }
        assertTrue(reuser != null, "ext4 reuses a freed inode number");
        Entry fresh = t.lookup(ROOT, reuser.getFileName().toString());
        assertTrue(fresh.nodeId() != held.nodeId());
        assertEquals("new", t.readAll(fresh.nodeId()));
    }

    @Test
    void mountPointsBelowTheShareAreAnnouncedAsSubmounts() throws Exception {
        t = new TestShare(o -> new PassthroughOptions(o.source(), o.cache(), false, false, true,
                o.uids(), o.gids(), true, InodeFileHandles.PREFER));
        Path sub = Files.createDirectory(t.source.resolve("sub"));
        Files.createDirectory(t.source.resolve("plain"));
        Mounts.mount("tmpfs", sub.toString(), "tmpfs", MountFlags.MS_NOSUID, "size=1m");
        try {
            Entry s = t.lookup(ROOT, "sub");
            assertEquals(Attr.FUSE_ATTR_SUBMOUNT, s.attr().flags());
            assertEquals(0, t.lookup(ROOT, "plain").attr().flags());
            Entry f = t.createFile(s.nodeId(), "on-tmpfs", "x");
            assertEquals("x", t.readAll(f.nodeId()), "files on the other mount work, by handle or fd");
        } finally {
            t.close(); // the share keeps a mount fd per mount until it closes
            t = null;
            Mounts.umount2(sub.toString(), 0);
        }
    }
}

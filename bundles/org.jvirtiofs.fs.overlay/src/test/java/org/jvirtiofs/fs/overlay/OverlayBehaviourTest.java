package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;

/** Overlay behaviour the differential script cannot show: restarts, statfs, OCI layers, cookies. */
class OverlayBehaviourTest {
    private static final Context ROOT = Context.KERNEL;

    private static FuseMount mount(Path mnt, OverlayFilesystem fs) throws Exception {
        return FuseMount.mount(mnt, fs, MountOptions.defaults().withReaders(2));
    }

    private static long ino(Path p) throws Exception {
        return ((Number) Files.getAttribute(p, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    @Test
    void aCopiedUpFileKeepsItsInodeNumberAcrossARestart() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        Path mnt = Files.createDirectory(layers.path("mnt"));
        long before;
        long dirBefore;
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            before = ino(mnt.resolve("dir/sub/z.txt"));
            dirBefore = ino(mnt.resolve("dir/sub"));
            Files.writeString(mnt.resolve("dir/sub/z.txt"), "changed\n");
            assertEquals(before, ino(mnt.resolve("dir/sub/z.txt")), "copy-up changed the inode number");
        }
        assertTrue(Files.exists(upper.resolve("dir/sub/z.txt")), "the write went to the upper");
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            assertEquals(before, ino(mnt.resolve("dir/sub/z.txt")), "the restarted share numbers it anew");
            assertEquals(dirBefore, ino(mnt.resolve("dir/sub")), "a copied-up directory too");
            assertEquals("changed\n", Files.readString(mnt.resolve("dir/sub/z.txt")));
        }
    }

    @Test
    void cacheAutoKeepsTheGuestsPagesOfAnUnchangedFileUntilCopyUp() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        OverlayOptions options = OverlayOptions.parse(Map.of(
                OverlayOptions.LOWER, layers.path("l1") + ":" + layers.path("l2"),
                OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "auto"));
        try (OverlayFilesystem fs = new OverlayFilesystem(options)) {
            long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
            assertFalse(keeps(fs, a, OpenFlags.O_RDONLY), "the first open drops the pages");
            Thread.sleep(org.jvirtiofs.posix.DataStamp.SETTLE_NANOS / 1_000_000 + 100);
            keeps(fs, a, OpenFlags.O_RDONLY); // drops them if the first open came within 2 s of the build
            assertTrue(keeps(fs, a, OpenFlags.O_RDONLY), "an unchanged lower file keeps them");
            assertTrue(keeps(fs, a, OpenFlags.O_RDONLY));
            assertFalse(keeps(fs, a, OpenFlags.O_RDWR), "copy-up makes it another file");
            assertFalse(keeps(fs, a, OpenFlags.O_RDONLY), "the copy is under 2 s old");
        }
    }

    @Test
    void opensOfUpperFilesOnALocalFileSystemAskTheKernelNotToFlush() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper"); // under target/, on ext4
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS))) {
            long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
            for (int flags : new int[] {OpenFlags.O_RDONLY, OpenFlags.O_RDWR, OpenFlags.O_RDONLY | OpenFlags.O_TRUNC}) {
                assertTrue(opened(fs, a, flags).has(org.jvirtiofs.api.OpenReply.FOPEN_NOFLUSH),
                        "a close on ext4 reports nothing, a writer's (after the copy-up) too: " + flags);
            }
            CreateReply made = fs.create(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("made"), 0644,
                    new OpenFlags(OpenFlags.O_WRONLY), 022, false);
            fs.release(ROOT, made.entry().nodeId(), made.open().handle(), new OpenFlags(OpenFlags.O_WRONLY), false, false, 0);
            assertTrue(made.open().has(org.jvirtiofs.api.OpenReply.FOPEN_NOFLUSH));
        }
    }

    @Test
    void writersOfUpperFilesWhoseCloseCanReportAnErrorAreFlushed() throws Exception {
        Layers layers = Layers.build();
        // the upper inside the kernel's overlayfs, whose flush is its own upper layer's
        Path kernel = Files.createDirectory(layers.path("kernel"));
        Files.createDirectories(layers.path("k-lower"));
        Files.createDirectories(layers.path("k-upper"));
        Files.createDirectories(layers.path("k-work"));
        Layers.run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + layers.path("k-lower")
                + ",upperdir=" + layers.path("k-upper") + ",workdir=" + layers.path("k-work"), kernel.toString()));
        try {
            Path upper = Files.createDirectory(kernel.resolve("upper"));
            try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS))) {
                long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
                assertTrue(opened(fs, a, OpenFlags.O_RDONLY).has(org.jvirtiofs.api.OpenReply.FOPEN_NOFLUSH));
                assertFalse(opened(fs, a, OpenFlags.O_RDWR).has(org.jvirtiofs.api.OpenReply.FOPEN_NOFLUSH),
                        "a writer's close reports what overlayfs's close says");
                assertTrue(Files.exists(upper.resolve("a.txt")), "copied up into the overlayfs");
            }
        } finally {
            Layers.umount(kernel);
        }
    }

    @Test
    void cacheAutoWritesDirectFromALoneWriteOnlyOpen() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        Map<String, String> auto = Map.of(OverlayOptions.LOWER, layers.path("l1") + ":" + layers.path("l2"),
                OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "auto",
                OverlayOptions.DIRECT_WRITE, "true");
        int direct = org.jvirtiofs.api.OpenReply.FOPEN_DIRECT_IO;
        try (OverlayFilesystem fs = new OverlayFilesystem(OverlayOptions.parse(auto))) {
            long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
            assertFalse(opened(fs, a, OpenFlags.O_RDWR).has(direct), "a read-write open may be mapped");
            assertFalse(opened(fs, a, OpenFlags.O_RDONLY | OpenFlags.O_TRUNC).has(direct));
            assertTrue(opened(fs, a, OpenFlags.O_WRONLY).has(direct), "a write-only open alone");
            OpenFlags reading = new OpenFlags(OpenFlags.O_RDONLY);
            org.jvirtiofs.api.OpenReply reader = fs.open(ROOT, a, reading, false);
            assertFalse(opened(fs, a, OpenFlags.O_WRONLY).has(direct), "beside an open reader");
            fs.release(ROOT, a, reader.handle(), reading, false, false, 0);
            assertTrue(opened(fs, a, OpenFlags.O_WRONLY | OpenFlags.O_APPEND).has(direct), "alone again");
            CreateReply made = fs.create(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("made"), 0644,
                    new OpenFlags(OpenFlags.O_WRONLY), 022, false);
            fs.release(ROOT, made.entry().nodeId(), made.open().handle(), new OpenFlags(OpenFlags.O_WRONLY), false, false, 0);
            assertTrue(made.open().has(direct), "a file created write-only");
        }
        Map<String, String> off = new java.util.HashMap<>(auto);
        off.remove(OverlayOptions.DIRECT_WRITE);
        try (OverlayFilesystem fs = new OverlayFilesystem(OverlayOptions.parse(off))) {
            long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
            assertFalse(opened(fs, a, OpenFlags.O_WRONLY).has(direct), "direct-write is off by default");
        }
        Map<String, String> always = new java.util.HashMap<>(auto);
        always.put(OverlayOptions.CACHE, "always");
        try (OverlayFilesystem fs = new OverlayFilesystem(OverlayOptions.parse(always))) {
            long a = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("a.txt")).nodeId();
            assertFalse(opened(fs, a, OpenFlags.O_WRONLY).has(direct), "cache=always keeps pages across opens");
        }
    }

    /** Opens node {@code n} with {@code flags}, releases it, and returns the reply. */
    private static org.jvirtiofs.api.OpenReply opened(OverlayFilesystem fs, long n, int flags) throws Exception {
        OpenFlags open = new OpenFlags(flags);
        org.jvirtiofs.api.OpenReply reply = fs.open(ROOT, n, open, false);
        fs.release(ROOT, n, reply.handle(), open, false, false, 0);
        return reply;
    }

    /** Opens node {@code n} with {@code flags}, releases it, and says whether the reply had KEEP_CACHE. */
    private static boolean keeps(OverlayFilesystem fs, long n, int flags) throws Exception {
        OpenFlags open = new OpenFlags(flags);
        org.jvirtiofs.api.OpenReply reply = fs.open(ROOT, n, open, false);
        fs.release(ROOT, n, reply.handle(), open, false, false, 0);
        return reply.has(org.jvirtiofs.api.OpenReply.FOPEN_KEEP_CACHE);
    }

    @Test
    void hardLinksOfALowerFileStayOneFileAcrossARestart() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        Files.createDirectories(upper.resolve(".wh..wh.jvfs/tmp-1-1/sub"));
        Files.writeString(upper.resolve(".wh..wh.jvfs/tmp-1-1/sub/left"), "from an interrupted removal");
        Path mnt = Files.createDirectory(layers.path("mnt"));
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            assertFalse(Files.exists(upper.resolve(".wh..wh.jvfs/tmp-1-1")), "leftovers are purged at start");
            Files.writeString(mnt.resolve("hl1"), "changed\n");
            assertEquals(2, Files.getAttribute(mnt.resolve("hl1"), "unix:nlink"));
            assertEquals(List.of("a.txt", "big.bin", "colored", "deldir", "dir", "emptydir", "hl1", "hl2", "link",
                    "many", "mode600", "opq", "owned", "tdir", "upper.txt"), tree(mnt).stream().filter(p -> !p.contains("/")).toList(),
                    "the work directory is never listed");
        }
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            assertEquals("changed\n", Files.readString(mnt.resolve("hl2")), "the other name, reached after a restart");
            assertEquals(ino(mnt.resolve("hl1")), ino(mnt.resolve("hl2")));
            assertEquals(2, Files.getAttribute(mnt.resolve("hl2"), "unix:nlink"));
            Files.delete(mnt.resolve("hl1"));
            assertEquals(1, Files.getAttribute(mnt.resolve("hl2"), "unix:nlink"));
            assertEquals("changed\n", Files.readString(mnt.resolve("hl2")));
        }
        assertEquals("hard\n", Files.readString(layers.path("l2/hl1")), "the lower is untouched");
    }

    @Test
    void anUpperOnAnotherFilesystemReportsItsStatfsAndTakesCopyUps() throws Exception {
        Layers layers = Layers.build();
        Path upper = Files.createDirectory(layers.path("tmpfs-upper"));
        Layers.run(List.of("mount", "-t", "tmpfs", "-o", "size=7m", "tmpfs", upper.toString()));
        Path mnt = Files.createDirectory(layers.path("mnt"));
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            assertEquals(Files.getFileStore(upper).getTotalSpace(), Files.getFileStore(mnt).getTotalSpace());
            assertEquals(7L << 20, Files.getFileStore(mnt).getTotalSpace());
            // data crosses filesystems (copy_file_range gives EXDEV: copied through a buffer)
            byte[] big = Files.readAllBytes(layers.path("l2/big.bin"));
            try (var out = Files.newOutputStream(mnt.resolve("big.bin"), java.nio.file.StandardOpenOption.APPEND)) {
                out.write('!');
            }
            byte[] copied = Files.readAllBytes(upper.resolve("big.bin"));
            assertEquals(big.length + 1, copied.length);
            assertTrue(java.util.Arrays.equals(big, java.util.Arrays.copyOf(copied, big.length)), "the copied data");
            Files.delete(mnt.resolve("dir/x.txt"));
            assertFalse(Files.exists(mnt.resolve("dir/x.txt")));
            assertTrue(Host.isWhiteout(org.jvirtiofs.posix.Fs.fstatat(org.jvirtiofs.posix.AtFlags.AT_FDCWD,
                    upper.resolve("dir/x.txt").toString(), org.jvirtiofs.posix.AtFlags.AT_SYMLINK_NOFOLLOW)));
        } finally {
            Layers.umount(upper);
        }
    }

    @Test
    void aCopyUpThatRunsOutOfSpaceFailsWithEnospcAndLeavesNothingBehind() throws Exception {
        Layers layers = Layers.build();
        Path upper = Files.createDirectory(layers.path("small-upper"));
        Layers.run(List.of("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", upper.toString()));
        Path mnt = Files.createDirectory(layers.path("mnt"));
        byte[] big = Files.readAllBytes(layers.path("l2/big.bin"));
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS));
                FuseMount m = mount(mnt, fs)) {
            FileSystemException e = assertThrows(FileSystemException.class, () -> Files.writeString(mnt.resolve("big.bin"),
                    "x", java.nio.file.StandardOpenOption.APPEND));
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(java.util.Arrays.equals(big, Files.readAllBytes(mnt.resolve("big.bin"))),
                    "the guest still sees the lower file, whole");
            assertEquals(List.of(), tree(upper), "no half copy in the upper");
            Files.writeString(mnt.resolve("a.txt"), "small copy-ups still work\n");
            assertEquals("small copy-ups still work\n", Files.readString(mnt.resolve("a.txt")));
        } finally {
            Layers.umount(upper);
        }
    }

    @Test
    void ociLayersMergeAsTheImageDefinesThem() throws Exception {
        Layers layers = Layers.build();
        Path oci = layers.path("oci");
        Path mnt = Files.createDirectory(layers.path("mnt"));
        OverlayOptions readOnly = OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                oci.resolve("top") + ":" + oci.resolve("app") + ":" + oci.resolve("base")));
        assertTrue(readOnly.readonly(), "no upper: read-only");
        try (OverlayFilesystem fs = new OverlayFilesystem(readOnly); FuseMount m = mount(mnt, fs)) {
            assertEquals(List.of("app", "app/extra", "app/main", "etc", "etc/config", "usr", "var", "var/cache",
                    "var/cache/c2"), tree(mnt));
            assertEquals("app-config\n", Files.readString(mnt.resolve("etc/config")));
            FileSystemException e = assertThrows(FileSystemException.class,
                    () -> Files.writeString(mnt.resolve("etc/config"), "x"));
            assertTrue(e.getMessage().contains("Read-only"), e.getMessage());
            assertFalse(Files.exists(mnt.resolve("etc/.wh.keep")), "whiteouts are never visible");
        }
    }

    @Test
    void ociWhiteoutsWrittenToTheUpperReadBackAsAnImageLayer() throws Exception {
        Layers layers = Layers.build();
        Path oci = layers.path("oci");
        Path upper = Files.createDirectory(layers.path("layer"));
        Path mnt = Files.createDirectory(layers.path("mnt"));
        OverlayOptions options = OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                oci.resolve("app") + ":" + oci.resolve("base"), OverlayOptions.UPPER, upper.toString(),
                OverlayOptions.WHITEOUT, "oci"));
        try (OverlayFilesystem fs = new OverlayFilesystem(options); FuseMount m = mount(mnt, fs)) {
            Files.delete(mnt.resolve("etc/config"));
            Files.delete(mnt.resolve("var/cache/c2"));
            Files.delete(mnt.resolve("var/cache"));
            Files.createDirectory(mnt.resolve("var/cache"));
            Files.writeString(mnt.resolve("var/cache/c3"), "c3\n");
            assertThrows(FileSystemException.class, () -> Files.writeString(mnt.resolve("etc/.wh.x"), ""),
                    "a .wh. name would be a whiteout");
        }
        assertTrue(Files.exists(upper.resolve("etc/.wh.config")));
        assertTrue(Files.exists(upper.resolve("var/cache/.wh..wh..opq")));
        // the upper is now a layer: stacked on the others, it shows what the guest left
        OverlayOptions stacked = OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                upper + ":" + oci.resolve("app") + ":" + oci.resolve("base")));
        try (OverlayFilesystem fs = new OverlayFilesystem(stacked); FuseMount m = mount(mnt, fs)) {
            assertEquals(List.of("app", "app/main", "etc", "usr", "usr/lib", "usr/lib/libfoo.so", "var",
                    "var/cache", "var/cache/c3"), tree(mnt));
        }
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> !p.equals(root)).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void readdirCookiesStayValidWhileTheDirectoryChanges() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS))) {
            fs.init(java.util.EnumSet.allOf(org.jvirtiofs.api.FsCapability.class));
            Entry dir = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of("dir"));
            long h = fs.opendir(ROOT, dir.nodeId(), new OpenFlags(0)).handle();
            List<String> seen = new ArrayList<>();
            long offset = 0;
            boolean mutated = false;
            while (true) {
                List<DirEntry> batch = new ArrayList<>();
                fs.readdir(ROOT, dir.nodeId(), h, offset, 4096, e -> batch.size() < 2 && batch.add(e));
                if (batch.isEmpty()) {
                    break;
                }
                batch.forEach(e -> seen.add(e.name().toString()));
                offset = batch.get(batch.size() - 1).nextOffset();
                if (!mutated) {
                    fs.unlink(ROOT, dir.nodeId(), FileName.of("x.txt"));
                    fs.mknod(ROOT, dir.nodeId(), FileName.of("added"), 0100644, 0, 0);
                    mutated = true;
                }
            }
            assertEquals(List.of(".", "..", "new.txt", "sub", "up.txt", "x.txt"), seen.stream().sorted().toList(),
                    "each name of the listing once, as it was at opendir");
            fs.releasedir(ROOT, dir.nodeId(), h, new OpenFlags(0));
            long h2 = fs.opendir(ROOT, dir.nodeId(), new OpenFlags(0)).handle();
            List<String> again = new ArrayList<>();
            fs.readdir(ROOT, dir.nodeId(), h2, 0, 4096, e -> again.add(e.name().toString()));
            assertEquals(List.of(".", "..", "added", "new.txt", "sub", "up.txt"), again.stream().sorted().toList());
        }
    }

    @Test
    void nothingOutsideTheLayersIsReachable() throws Exception {
        Layers layers = Layers.build();
        Path upper = layers.upperCopy("upper");
        Path outside = Files.createDirectory(layers.path("outside"));
        Files.writeString(outside.resolve("secret"), "secret\n");
        Files.createSymbolicLink(layers.path("l2").resolve("escape"), outside);
        Files.createSymbolicLink(upper.resolve("up-escape"), Path.of(".."));
        try (OverlayFilesystem fs = new OverlayFilesystem(layers.options(upper, WhiteoutFormat.OVERLAYFS))) {
            for (String name : List.of("escape", "up-escape")) {
                Entry link = fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.of(name));
                assertTrue(link.attr().isSymlink(), name + " is served as a symlink, not followed");
                FsException e = assertThrows(FsException.class,
                        () -> fs.lookup(ROOT, link.nodeId(), FileName.of("secret")));
                assertEquals(Errno.ENOENT, e.errno(), name);
                assertEquals(Errno.ENOTDIR, assertThrows(FsException.class,
                        () -> fs.opendir(ROOT, link.nodeId(), new OpenFlags(0))).errno());
                assertEquals(Errno.ELOOP, assertThrows(FsException.class,
                        () -> fs.open(ROOT, link.nodeId(), new OpenFlags(OpenFlags.O_RDWR), false)).errno());
                // a change copies the symlink itself up; it never writes through it
                assertEquals(Errno.EPERM, assertThrows(FsException.class, () -> fs.setxattr(ROOT, link.nodeId(),
                        "user.x", "v".getBytes(StandardCharsets.UTF_8), 0, 0)).errno());
                fs.setattr(ROOT, link.nodeId(), link.attr(), new org.jvirtiofs.api.SetattrValid(
                        org.jvirtiofs.api.SetattrValid.FATTR_UID), OptionalLong.empty());
            }
            assertEquals(Errno.EINVAL, assertThrows(FsException.class,
                    () -> fs.lookup(ROOT, FuseFilesystem.FUSE_ROOT_ID, FileName.DOT_DOT)).errno());
        }
        assertEquals("secret\n", Files.readString(outside.resolve("secret")));
        assertTrue(Files.isSymbolicLink(upper.resolve("escape")), "the lower symlink was copied up as one");
        assertEquals(List.of("secret"), tree(outside));
    }

    @Test
    void badOptionsAreOneLineErrors() throws Exception {
        Layers layers = Layers.build();
        String l1 = layers.path("l1").toString();
        assertMessage("lower is required", Map.of(OverlayOptions.UPPER, layers.path("u0").toString()));
        assertMessage("lower: /nope does not exist", Map.of(OverlayOptions.LOWER, "/nope"));
        assertMessage("must be absolute", Map.of(OverlayOptions.LOWER, "relative/dir"));
        assertMessage("is not a directory", Map.of(OverlayOptions.LOWER, layers.path("l2/a.txt").toString()));
        assertMessage("layers must not overlap", Map.of(OverlayOptions.LOWER, l1,
                OverlayOptions.UPPER, layers.path("l1/dir").toString()));
        assertMessage("layers must not overlap", Map.of(OverlayOptions.LOWER, l1 + ":" + l1));
        assertMessage("whiteout must be overlayfs or oci; got 'aufs'", Map.of(OverlayOptions.LOWER, l1,
                OverlayOptions.WHITEOUT, "aufs"));
    }

    private static void assertMessage(String expected, Map<String, ?> options) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OverlayFilesystemFactory().create(options));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}

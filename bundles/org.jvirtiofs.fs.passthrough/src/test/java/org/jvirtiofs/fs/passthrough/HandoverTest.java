package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.posix.FileMode;
import org.junit.jupiter.api.Test;

/** What a passthrough share hands over and takes over, below the share manager. */
class HandoverTest {
    private static final byte[] ODD_DIR = {'d', (byte) 0xff, (byte) 0xfe};

    @Test
    void nodesHandlesAndPathsGoOverWithTheirIdsAndExactBytes() throws Exception {
        try (TestShare share = new TestShare()) {
            makeOddTree(share.source);
            Entry d = share.fs.lookup(Context.KERNEL, FuseFilesystem.FUSE_ROOT_ID, FileName.of(ODD_DIR));
            Entry f = share.fs.lookup(Context.KERNEL, d.nodeId(), FileName.of("f"));
            long fh = share.fs.open(Context.KERNEL, f.nodeId(), new OpenFlags(OpenFlags.O_RDONLY), false).handle();
            try (Handover h = share.fs.handover()) {
                Handover.Node node = h.nodes().stream().filter(n -> n.nodeId() == f.nodeId()).findFirst().orElseThrow();
                assertArrayEquals(bytes(ODD_DIR, "/f"), node.path(), "the path's exact bytes");
                assertTrue(node.fd() >= 0);
                assertEquals(List.of(fh), h.handles().stream().map(Handover.Handle::handle).toList());

                PassthroughFilesystem next = (PassthroughFilesystem) new PassthroughFilesystemFactory()
                        .takeOver(Map.of("source", share.source.toString(), "inode-file-handles", "prefer"), h);
                try {
                    next.init(java.util.EnumSet.allOf(FsCapability.class));
                    assertEquals(f.attr().ino(), next.getattr(Context.KERNEL, f.nodeId(), OptionalLong.empty())
                            .attr().ino());
                    assertEquals(3, next.nodeCount(), "root, the directory and the file");
                    assertEquals(1, next.handleCount());
                    Entry fresh = next.lookup(Context.KERNEL, FuseFilesystem.FUSE_ROOT_ID, FileName.of("new"));
                    fail("no such file, got " + fresh);
                } catch (org.jvirtiofs.api.FsException expected) {
                    assertEquals(org.jvirtiofs.api.Errno.ENOENT, expected.errno());
                } finally {
                    next.close();
                }
            }
        }
    }

    @Test
    void aForeignHandoverIsResolvedByPathBeneathTheRoot() throws Exception {
        try (TestShare share = new TestShare()) {
            makeOddTree(share.source);
            Handover foreign = new Handover("memory", List.of(
                    new Handover.Node(40, 40, 1, FileMode.S_IFDIR, ODD_DIR, -1),
                    new Handover.Node(41, 41, 2, FileMode.S_IFREG, bytes(ODD_DIR, "/f"), -1),
                    new Handover.Node(42, 42, 1, FileMode.S_IFREG, "../../etc/hostname".getBytes(StandardCharsets.UTF_8), -1),
                    new Handover.Node(43, 43, 1, FileMode.S_IFREG, "gone".getBytes(StandardCharsets.UTF_8), -1)),
                    List.of(), List.of(), () -> { });
            PassthroughFilesystem next = (PassthroughFilesystem) new PassthroughFilesystemFactory()
                    .takeOver(Map.of("source", share.source.toString()), foreign);
            try {
                assertEquals(3, next.nodeCount(), "the root and the two paths that resolve beneath it");
                assertEquals(4, next.getattr(Context.KERNEL, 41, OptionalLong.empty()).attr().size());
                assertThrows(org.jvirtiofs.api.FsException.class,
                        () -> next.getattr(Context.KERNEL, 42, OptionalLong.empty()), "never outside the share");
                Entry created = next.mkdir(Context.KERNEL, FuseFilesystem.FUSE_ROOT_ID, FileName.of("n"), 0755, 0);
                assertTrue(created.nodeId() > 43, "new ids start above the handed-over ones: " + created.nodeId());
            } finally {
                next.close();
            }
        }
    }

    /** d\xff\xfe/f holding "data": Java's own file API cannot name it. */
    private static void makeOddTree(Path source) throws Exception {
        Process p = new ProcessBuilder("/bin/bash", "-c", "mkdir $'d\\xff\\xfe' && printf data > $'d\\xff\\xfe'/f")
                .directory(source.toFile()).inheritIO().start();
        assertEquals(0, p.waitFor());
    }

    private static byte[] bytes(byte[] head, String tail) {
        byte[] t = tail.getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + t.length);
        System.arraycopy(t, 0, all, head.length, t.length);
        return all;
    }
}

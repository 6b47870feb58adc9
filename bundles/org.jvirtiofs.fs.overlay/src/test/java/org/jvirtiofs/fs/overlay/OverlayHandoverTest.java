package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.testkit.SegmentedMemory;

/** A hot swap of one overlay for another: the guest's node ids and handles keep working. */
class OverlayHandoverTest {
    private static final Context ROOT = Context.KERNEL;
    private static final long ROOT_ID = FuseFilesystem.FUSE_ROOT_ID;

    @Test
    void nodesAndOpenFilesCarryOverToTheReplacement() throws Exception {
        Layers layers = Layers.build();
        Map<String, Object> options = Map.of(OverlayOptions.LOWER, layers.path("l1") + ":" + layers.path("l2"),
                OverlayOptions.UPPER, layers.upperCopy("upper").toString());
        OverlayFilesystemFactory factory = new OverlayFilesystemFactory();
        FuseFilesystem first = factory.create(options);
        first.init(EnumSet.allOf(FsCapability.class));
        Entry dir = first.lookup(ROOT, ROOT_ID, FileName.of("dir"));
        Entry sub = first.lookup(ROOT, dir.nodeId(), FileName.of("sub"));
        Entry z = first.lookup(ROOT, sub.nodeId(), FileName.of("z.txt"));
        Entry upper = first.lookup(ROOT, ROOT_ID, FileName.of("upper.txt"));
        Entry gone = first.lookup(ROOT, ROOT_ID, FileName.of("a.txt"));
        long reading = first.open(ROOT, z.nodeId(), new OpenFlags(OpenFlags.O_RDONLY), false).handle();
        long writing = first.open(ROOT, upper.nodeId(), new OpenFlags(OpenFlags.O_RDWR), false).handle();
        long listing = first.opendir(ROOT, dir.nodeId(), new OpenFlags(0)).handle();

        Handover handover = first.handover();
        first.close();
        Files.delete(layers.path("upper").resolve("upper.txt")); // unlinked while open: the handle lives on
        FuseFilesystem second;
        try {
            second = factory.takeOver(options, handover);
        } finally {
            handover.close();
        }
        try (FuseFilesystem fs = second) {
            assertEquals(z.attr().ino(), fs.getattr(ROOT, z.nodeId(), OptionalLong.empty()).attr().ino());
            assertEquals(sub.nodeId(), fs.lookup(ROOT, dir.nodeId(), FileName.of("sub")).nodeId(), "the same id");
            assertEquals("z\n", read(fs, z.nodeId(), reading));
            fs.write(ROOT, upper.nodeId(), writing, new SegmentedMemory.Reader("kept".getBytes(StandardCharsets.UTF_8)),
                    4, 0, OptionalLong.empty(), new OpenFlags(OpenFlags.O_RDWR), 0);
            assertEquals("keptr\n", read(fs, upper.nodeId(), writing));
            List<String> names = new ArrayList<>();
            fs.readdir(ROOT, dir.nodeId(), listing, 0, 4096, e -> names.add(e.name().toString()));
            assertEquals(List.of(".", "..", "new.txt", "sub", "up.txt", "x.txt"), names.stream().sorted().toList());
            Entry fresh = fs.lookup(ROOT, ROOT_ID, FileName.of("colored"));
            assertTrue(fresh.nodeId() > gone.nodeId(), "new ids come after the handed-over ones");
            assertEquals(gone.nodeId(), fs.lookup(ROOT, ROOT_ID, FileName.of("a.txt")).nodeId());
            FsException stale = org.junit.jupiter.api.Assertions.assertThrows(FsException.class,
                    () -> fs.getattr(ROOT, upper.nodeId(), OptionalLong.empty()));
            assertEquals(Errno.ESTALE, stale.errno(), "a node whose name is gone is stale");
        }
    }

    private static String read(FuseFilesystem fs, long node, long handle) throws Exception {
        SegmentedMemory.Writer out = new SegmentedMemory.Writer(4096);
        fs.read(ROOT, node, handle, out, 4096, 0, OptionalLong.empty(), new OpenFlags(OpenFlags.O_RDONLY));
        return new String(out.bytes(), StandardCharsets.UTF_8);
    }
}

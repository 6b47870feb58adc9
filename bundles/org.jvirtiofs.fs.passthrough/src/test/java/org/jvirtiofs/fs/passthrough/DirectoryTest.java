package org.jvirtiofs.fs.passthrough;

import static org.jvirtiofs.fs.passthrough.TestShare.ROOT;
import static org.jvirtiofs.fs.passthrough.TestShare.assertErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Listing: every host name with "." and "..", stable cookies, readdirplus lookup counts. */
class DirectoryTest {
    private TestShare t;

    @BeforeEach
    void share() throws Exception {
        t = new TestShare();
        for (int i = 0; i < 200; i++) {
            Files.writeString(t.source.resolve("f" + i), "x");
        }
        Files.createDirectory(t.source.resolve("sub"));
    }

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void readdirListsEveryNameOnceWithDotsAndTypes() throws Exception {
        List<String> names = t.list(ROOT);
        assertEquals(203, names.size());
        assertEquals(203, new HashSet<>(names).size());
        assertTrue(names.containsAll(List.of(".", "..", "sub", "f0", "f199")));
    }

    @Test
    void aListingResumesFromAnyCookieEvenAfterChanges() throws Exception {
        long h = t.fs.opendir(t.ctx, ROOT, TestShare.RDONLY).handle();
        List<DirEntry> first = new ArrayList<>();
        t.fs.readdir(t.ctx, ROOT, h, 0, 4096, e -> first.size() < 10 && first.add(e));
        Files.writeString(t.source.resolve("late"), "x");
        Set<String> rest = new TreeSet<>();
        long offset = first.get(9).nextOffset();
        while (true) {
            List<DirEntry> batch = new ArrayList<>();
            t.fs.readdir(t.ctx, ROOT, h, offset, 4096, e -> batch.size() < 50 && batch.add(e));
            if (batch.isEmpty()) {
                break;
            }
            batch.forEach(e -> rest.add(e.name().toString()));
            offset = batch.get(batch.size() - 1).nextOffset();
        }
        first.forEach(e -> assertTrue(!rest.contains(e.name().toString()), "listed twice: " + e));
        assertTrue(rest.size() + 10 >= 203);
        // rewinding to an earlier cookie replays the same entries
        List<DirEntry> again = new ArrayList<>();
        t.fs.readdir(t.ctx, ROOT, h, first.get(4).nextOffset(), 4096, e -> again.size() < 5 && again.add(e));
        assertEquals(first.subList(5, 10), again);
        t.fs.releasedir(t.ctx, ROOT, h, TestShare.RDONLY);
        assertEquals(0, t.fs.handleCount());
    }

    @Test
    void readdirplusCountsALookupForEveryAddedEntryAndNoneForTheRest() throws Exception {
        long h = t.fs.opendir(t.ctx, ROOT, TestShare.RDONLY).handle();
        List<Entry> entries = new ArrayList<>();
        DirEntryPlusSink sink = new DirEntryPlusSink() {
            @Override
            public boolean fits(FileName name) {
                return true;
            }

            @Override
            public boolean add(DirEntry d, Entry e) {
                if (entries.size() == 20) {
                    return false;
                }
                entries.add(e);
                return true;
            }
        };
        t.fs.readdirplus(t.ctx, ROOT, h, 0, 4096, sink);
        long positive = entries.stream().filter(e -> !e.isNegative()).count();
        assertTrue(positive >= 18, "dots are negative, others looked up");
        assertEquals(1 + positive, t.fs.nodeCount(), "the refused 21st entry was undone");
        entries.stream().filter(e -> !e.isNegative()).forEach(e -> t.fs.forget(t.ctx, e.nodeId(), 1));
        assertEquals(1, t.fs.nodeCount());
        Entry sub = t.lookup(ROOT, "sub");
        assertEquals(FileMode.S_IFDIR, sub.attr().fileType());
    }

    /**
     * READDIRPLUS looks each entry up as LOOKUP does, so a file the guest holds gets its node from
     * one statx: at the open-file limit the held file is still listed with its node, and a file
     * the guest does not hold yet with none (the guest looks it up when it needs it).
     */
    @Test
    void readdirplusGivesHeldFilesTheirNodesEvenAtTheOpenFileLimit() throws Exception {
        long held = t.lookup(ROOT, "f7").nodeId();
        long h = t.fs.opendir(t.ctx, ROOT, TestShare.RDONLY).handle();
        List<String> positive = new ArrayList<>();
        List<Long> nodes = new ArrayList<>();
        DirEntryPlusSink sink = new DirEntryPlusSink() { // made first: loading its class opens a file
            @Override
            public boolean fits(FileName name) {
                return true;
            }

            @Override
            public boolean add(DirEntry d, Entry e) {
                if (!e.isNegative()) {
                    positive.add(d.name().toString());
                    nodes.add(e.nodeId());
                }
                return true;
            }
        };
        TestShare.atTheOpenFileLimit(() -> {
            t.fs.readdirplus(t.ctx, ROOT, h, 0, 1 << 20, sink);
            return null;
        });
        assertEquals(List.of("f7"), positive, "only the held file could be looked up");
        assertEquals(List.of(held), nodes);
        t.fs.releasedir(t.ctx, ROOT, h, TestShare.RDONLY);
        t.fs.forget(t.ctx, held, 2);
        assertEquals(1, t.fs.nodeCount(), "the listing counted one lookup of the held file");
    }

    @Test
    void opendirOfAFileRepliesEnotdirAndFsyncdirWorks() throws Exception {
        Entry f = t.lookup(ROOT, "f1");
        assertErrno(Errno.ENOTDIR, () -> t.fs.opendir(t.ctx, f.nodeId(), TestShare.RDONLY));
        long h = t.fs.opendir(t.ctx, ROOT, TestShare.RDONLY).handle();
        t.fs.fsyncdir(t.ctx, ROOT, h, false);
        t.fs.releasedir(t.ctx, ROOT, h, TestShare.RDONLY);
        assertErrno(Errno.EBADF, () -> t.fs.readdir(t.ctx, ROOT, h, 0, 4096, e -> true));
    }
}

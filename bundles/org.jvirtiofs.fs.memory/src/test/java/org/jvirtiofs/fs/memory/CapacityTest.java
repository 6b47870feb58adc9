package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.FileData.CHUNK_SIZE;
import static org.jvirtiofs.fs.memory.TestFs.RDWR;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.errno;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.StatFs;
import org.junit.jupiter.api.Test;

class CapacityTest {
    private final TestFs t = new TestFs(new MemoryOptions(10L * CHUNK_SIZE + 5, 4, 0777, 0, 0,
            CacheMode.ALWAYS));

    private StatFs statfs() throws Exception {
        return t.fs.statfs(t.ctx, ROOT);
    }

    @Test
    void statfsReportsTheLimitsInChunksAndInodes() throws Exception {
        StatFs s = statfs();
        assertEquals(10, s.blocks());
        assertEquals(10, s.bfree());
        assertEquals(10, s.bavail());
        assertEquals(CHUNK_SIZE, s.frsize());
        assertEquals(4, s.files());
        assertEquals(3, s.ffree()); // the root
        assertEquals(255, s.namelen());
    }

    @Test
    void writtenChunksAndNodesAreCountedAndFreedWithTheNode() throws Exception {
        long file = t.file("f", new byte[CHUNK_SIZE + 1]);
        assertEquals(8, statfs().bfree());
        assertEquals(2, statfs().ffree());
        t.fs.unlink(t.ctx, ROOT, name("f"));
        t.fs.forget(t.ctx, file, 1);
        assertEquals(10, statfs().bfree());
        assertEquals(3, statfs().ffree());
    }

    @Test
    void creatingBeyondTheInodeLimitThrowsEnospc() throws Exception {
        t.mknod(ROOT, "a");
        t.mkdir(ROOT, "b");
        t.fs.symlink(t.ctx, ROOT, name("c"), new byte[] {'x'});
        assertEquals(Errno.ENOSPC, errno(() -> t.mknod(ROOT, "d")));
        assertEquals(Errno.ENOSPC, errno(() -> t.fs.tmpfile(t.ctx, ROOT, 0600, RDWR, 0)));
        assertEquals(Errno.ENOSPC, errno(() -> t.fs.rename(t.ctx, ROOT, name("a"), ROOT,
                name("e"), org.jvirtiofs.api.FuseFilesystem.RENAME_WHITEOUT)));
        t.lookup(ROOT, "a"); // the failed rename changed nothing
    }

    @Test
    void aWriteThatOverwritesAllocatedChunksNeedsNoNewSpace() throws Exception {
        long file = t.mknod(ROOT, "f").nodeId();
        long handle = t.open(file, RDWR);
        t.write(file, handle, 0, new byte[10 * CHUNK_SIZE]);
        assertEquals(0, statfs().bfree());
        assertEquals(CHUNK_SIZE, t.write(file, handle, 0, new byte[CHUNK_SIZE]));
        assertEquals(Errno.ENOSPC, errno(() -> t.write(file, handle, 10L * CHUNK_SIZE,
                new byte[1])));
    }
}

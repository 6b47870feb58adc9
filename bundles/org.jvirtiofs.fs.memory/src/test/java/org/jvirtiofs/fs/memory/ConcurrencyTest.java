package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.fs.memory.TestFs.RDWR;
import static org.jvirtiofs.fs.memory.TestFs.ROOT;
import static org.jvirtiofs.fs.memory.TestFs.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.FileMode;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.testkit.SegmentedMemory;

class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 200;

    @Test
    void manyThreadsCreatingWritingAndRemovingLeaveOnlyTheRoot() throws Exception {
        TestFs t = new TestFs();
        MemoryFilesystem fs = t.fs;
        Context ctx = TestFs.ALICE;
        long shared = fs.mknod(ctx, ROOT, name("shared"), FileMode.S_IFREG | 0644, 0, 0)
                .nodeId();
        long sharedHandle = fs.open(ctx, shared, RDWR, false).handle();
        long total = fs.statfs(ctx, ROOT).bfree();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int thread = 0; thread < THREADS; thread++) {
                int id = thread;
                done.add(pool.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        byte[] data = new byte[1000 + round];
                        data[0] = (byte) id;
                        String n = "t" + id + "-" + round;
                        CreateReply c = fs.create(ctx, ROOT, name(n), 0644, RDWR, 0, false);
                        long node = c.entry().nodeId();
                        long h = c.open().handle();
                        fs.write(ctx, node, h, new SegmentedMemory.Reader(data), data.length, 0,
                                OptionalLong.empty(), RDWR, 0);
                        SegmentedMemory.Writer back = new SegmentedMemory.Writer(data.length);
                        fs.read(ctx, node, h, back, data.length, 0, OptionalLong.empty(), RDWR);
                        assertArrayEquals(data, back.bytes());
                        fs.write(ctx, shared, sharedHandle, new SegmentedMemory.Reader(data), 100,
                                (long) id * FileData.CHUNK_SIZE, OptionalLong.empty(), RDWR, 0);
                        t.readdir(ROOT, 0);
                        fs.unlink(ctx, ROOT, name(n));
                        fs.release(ctx, node, h, RDWR, false, false, 0);
                        fs.forget(ctx, node, 1);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(2, fs.nodeCount());
        // every thread's files gave their space back; only the shared file's chunks remain
        assertEquals(total - THREADS, fs.statfs(ctx, ROOT).bfree());
        assertEquals((long) THREADS * FileData.CHUNK_SIZE / 512, t.attr(shared).blocks());
    }
}

package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Context;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {

    @Test
    void workersAndForgetQueueShareOneSession() throws Exception {
        AtomicLong forgotten = new AtomicLong();
        EntryOpsTest.EntryFs fs = new EntryOpsTest.EntryFs() {
            @Override
            public void forget(Context ctx, long nodeId, long nlookup) {
                forgotten.addAndGet(nlookup);
            }
        };
        Harness h = Harness.initialized(fs);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 2000; i++) {
                        Reply r = h.call(Req.of(FUSE_LOOKUP, 1).str("n" + i), 256);
                        assertEquals(144, r.used());
                        assertArrayEquals(Expect.entry(), r.payloadBytes());
                    }
                    return null;
                });
            }
            for (int t = 0; t < 2; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 2000; i++) {
                        assertEquals(0, h.call(Req.of(FUSE_FORGET, 7).u64(1), 0).used());
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4000, forgotten.get());
    }
}

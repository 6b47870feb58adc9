package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.OpenFlags;
import org.junit.jupiter.api.Test;

class RequestObserverTest {
    record Served(int opcode, int errno, long nanos, long payload) {
    }

    private final List<Served> served = new CopyOnWriteArrayList<>();
    private final Harness h = new Harness(new FileOpsTest.FileFs(), SessionOptions.defaults(),
            (opcode, errno, nanos, payload) -> served.add(new Served(opcode, errno, nanos, payload)));

    @Test
    void everyRequestIsReportedWithItsOutcomeAndPayloadSize() {
        h.init61();
        h.call(FileOpsTest.read(10, 8, 0)).assertOk(h.lastUnique(), 8);
        h.call(Req.of(FUSE_WRITE, 3).u64(77).u64(0).u32(5).u32(0).u64(0).u32(OpenFlags.O_WRONLY).u32(0)
                .raw("hello")).assertOk(h.lastUnique(), 8);
        h.call(Req.of(FUSE_MKDIR, 1).u32(0755).u32(0).str("d")).assertError(h.lastUnique(), Errno.ENOSYS);

        assertEquals(List.of(FUSE_INIT, FUSE_READ, FUSE_WRITE, FUSE_MKDIR),
                served.stream().map(Served::opcode).toList());
        assertEquals(new Served(FUSE_READ, 0, served.get(1).nanos(), 8), served.get(1));
        assertEquals(new Served(FUSE_WRITE, 0, served.get(2).nanos(), 5), served.get(2));
        assertEquals(Errno.ENOSYS, served.get(3).errno());
        assertEquals(0, served.get(3).payload());
        assertTrue(served.stream().allMatch(s -> s.nanos() >= 0));
    }

    @Test
    void requestsBeforeInitAreReportedAsEio() {
        h.call(FileOpsTest.read(0, 1, 0)).assertError(h.lastUnique(), Errno.EIO);
        assertEquals(List.of(new Served(FUSE_READ, Errno.EIO, served.get(0).nanos(), 0)), served);
    }

    @Test
    void anObserverThatThrowsDoesNotCostTheReply() {
        Harness throwing = new Harness(new FileOpsTest.FileFs(), SessionOptions.defaults(), (o, e, n, p) -> {
            throw new IllegalStateException("observer bug");
        });
        throwing.init61();
        throwing.call(Req.of(FUSE_FORGET, 5).u64(1));
        throwing.call(FileOpsTest.read(0, 3, 0)).assertOk(throwing.lastUnique(), 3);
    }
}

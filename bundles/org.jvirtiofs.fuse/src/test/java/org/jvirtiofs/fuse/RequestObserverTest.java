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
    void aProviderBugIsRepliedEioAndReportedToTheObserver() {
        List<Throwable> bugs = new CopyOnWriteArrayList<>();
        List<Integer> opcodes = new CopyOnWriteArrayList<>();
        RequestObserver observer = new RequestObserver() {
            @Override
            public void served(int opcode, int errno, long nanos, long payloadBytes) {
                served.add(new Served(opcode, errno, nanos, payloadBytes));
            }

            @Override
            public void failed(int opcode, Throwable bug) {
                opcodes.add(opcode);
                bugs.add(bug);
            }
        };
        Harness buggy = new Harness(new FileOpsTest.FileFs() {
            @Override
            public org.jvirtiofs.api.AttrReply getattr(org.jvirtiofs.api.Context ctx, long nodeId,
                                                        java.util.OptionalLong handle) {
                throw new IllegalStateException("provider bug");
            }
        }, SessionOptions.defaults(), observer);
        buggy.init61();
        buggy.call(Req.of(FUSE_GETATTR, 9).u32(0).u32(0).u64(0)).assertError(buggy.lastUnique(), Errno.EIO);
        assertEquals(List.of(FUSE_GETATTR), opcodes);
        assertEquals("provider bug", bugs.get(0).getMessage());
        assertEquals(Errno.EIO, served.get(served.size() - 1).errno());
        // a provider's own errno is no bug
        buggy.call(Req.of(FUSE_MKDIR, 1).u32(0755).u32(0).str("d")).assertError(buggy.lastUnique(), Errno.ENOSYS);
        assertEquals(1, bugs.size());
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

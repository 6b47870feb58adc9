package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.SocketFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SocketsTest extends NativeTestBase {

    private int[] pair() throws PosixException {
        int[] pair = Sockets.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        track(pair[0]);
        track(pair[1]);
        return pair;
    }

    @Test
    void fdPassedWithScmRightsReadsTheSameFile() throws Exception {
        int[] pair = pair();
        int file = open(file("shared", "through the socket"), OpenFlags.O_RDONLY);
        ByteBuffer header = direct("xxmsg");
        header.position(2);
        assertEquals(3, Sockets.sendmsg(pair[0], new ByteBuffer[] {header}, new int[] {file}, MSG_NOSIGNAL));
        assertEquals(5, header.position());

        ByteBuffer first = ByteBuffer.allocateDirect(2);
        ByteBuffer second = ByteBuffer.allocateDirect(8);
        Received received = Sockets.recvmsg(pair[1], new ByteBuffer[] {first, second}, 4, MSG_CMSG_CLOEXEC);
        assertEquals(3, received.bytes());
        assertEquals(1, received.fds().length);
        assertFalse(received.fdsTruncated());
        int passed = track(received.fds()[0]);
        assertNotEquals(file, passed);
        assertEquals("ms", text(first.flip()));
        assertEquals("g", text(second.flip()));

        ByteBuffer content = ByteBuffer.allocateDirect(64);
        Io.pread(passed, content, 0);
        assertEquals("through the socket", text(content.flip()));
        assertEquals(Fs.fstat(file).ino(), Fs.fstat(passed).ino());
    }

    @Test
    void severalFdsArriveInOrderAndExtraOnesAreDroppedWithCtrunc() throws Exception {
        int[] pair = pair();
        int a = track(Memory.eventfd(1, MemFlags.EFD_CLOEXEC));
        int b = track(Memory.eventfd(2, MemFlags.EFD_CLOEXEC));
        Sockets.sendmsg(pair[0], new ByteBuffer[] {direct("1")}, new int[] {a, b}, 0);
        Received both = Sockets.recvmsg(pair[1], new ByteBuffer[] {ByteBuffer.allocateDirect(1)}, 2, MSG_CMSG_CLOEXEC);
        assertEquals(2, both.fds().length);
        assertEquals(1, Memory.eventfdRead(track(both.fds()[0])));
        assertEquals(2, Memory.eventfdRead(track(both.fds()[1])));

        // room for one fd is room for two (8-byte alignment); the third is dropped by the kernel
        Sockets.sendmsg(pair[0], new ByteBuffer[] {direct("2")}, new int[] {a, b, a}, 0);
        Received cut = Sockets.recvmsg(pair[1], new ByteBuffer[] {ByteBuffer.allocateDirect(1)}, 1, MSG_CMSG_CLOEXEC);
        assertTrue(cut.fdsTruncated());
        assertEquals(2, cut.fds().length);
        for (int fd : cut.fds()) {
            track(fd);
        }
    }

    @Test
    void plainMessagesCarryNoFdsAndAClosedPeerReadsZero() throws Exception {
        int[] pair = pair();
        Sockets.sendmsg(pair[0], new ByteBuffer[] {direct("hi")}, new int[0], 0);
        ByteBuffer buf = ByteBuffer.allocateDirect(8);
        Received received = Sockets.recvmsg(pair[1], new ByteBuffer[] {buf}, 0, 0);
        assertEquals(2, received.bytes());
        assertEquals(0, received.fds().length);
        Io.close(pair[0]);
        untrack(pair[0]);
        assertEquals(0, Sockets.recvmsg(pair[1], new ByteBuffer[] {ByteBuffer.allocateDirect(8)}, 1, 0).bytes());
    }

    @Test
    void sendmsgAndRecvmsgReportTheirErrnos() throws Exception {
        int[] pair = pair();
        assertErrno(Errno.EAGAIN, () -> Sockets.recvmsg(pair[1], new ByteBuffer[] {ByteBuffer.allocateDirect(1)}, 1, MSG_DONTWAIT));
        int file = open(file("f", ""), OpenFlags.O_RDONLY);
        assertErrno(Errno.ENOTSOCK, () -> Sockets.sendmsg(file, new ByteBuffer[] {direct("x")}, new int[0], 0));
        assertErrno(Errno.EBADF, () -> Sockets.sendmsg(pair[0], new ByteBuffer[] {direct("x")}, new int[] {99_999}, 0));
        Io.close(pair[1]);
        untrack(pair[1]);
        assertErrno(Errno.EPIPE, () -> Sockets.sendmsg(pair[0], new ByteBuffer[] {direct("x")}, new int[0], MSG_NOSIGNAL));
    }

    @Test
    void socketpairRefusesAnUnknownDomain() {
        assertErrno(Errno.EAFNOSUPPORT, () -> Sockets.socketpair(12345, SOCK_STREAM, 0));
    }

    @Test
    void unixSocketListensConnectsAndAcceptsByPath() throws Exception {
        String path = dir.resolve("vhost.sock").toString();
        int server = track(Sockets.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        Sockets.bind(server, path);
        Sockets.listen(server, 1);
        CompletableFuture<Integer> accepted = CompletableFuture.supplyAsync(() -> {
            try {
                return Sockets.accept4(server, SOCK_CLOEXEC);
            } catch (PosixException e) {
                throw new IllegalStateException(e);
            }
        });
        int client = track(Sockets.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        Sockets.connect(client, path);
        int connection = track(accepted.get(5, TimeUnit.SECONDS));
        Io.write(client, direct("hello"));
        ByteBuffer buf = ByteBuffer.allocateDirect(8);
        Io.read(connection, buf);
        assertEquals("hello", text(buf.flip()));
    }

    @Test
    void unixSocketCallsReportTheirErrnos() throws Exception {
        String path = dir.resolve("s.sock").toString();
        assertErrno(Errno.EAFNOSUPPORT, () -> Sockets.socket(12345, SOCK_STREAM, 0));
        int server = track(Sockets.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        Sockets.bind(server, path);
        int other = track(Sockets.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
        assertErrno(Errno.EADDRINUSE, () -> Sockets.bind(other, path));
        assertErrno(Errno.ECONNREFUSED, () -> Sockets.connect(other, path)); // bound, not listening
        assertErrno(Errno.ENOENT, () -> Sockets.connect(other, dir.resolve("none.sock").toString()));
        assertErrno(Errno.EINVAL, () -> Sockets.accept4(server, 0)); // not listening
        int file = open(file("f", ""), OpenFlags.O_RDONLY);
        assertErrno(Errno.ENOTSOCK, () -> Sockets.listen(file, 1));
        assertThrows(IllegalArgumentException.class, () -> Sockets.bind(other, "/" + "x".repeat(120)));
    }
}

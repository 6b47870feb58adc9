package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.PosixException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Any stream of vhost-user messages a frontend can send, with any fds attached (eventfds, memfds
 * of any size): the backend answers or drops the connection, and then serves the next frontend
 * with none of the first one's fds or mappings left behind. One backend serves the whole run.
 */
class VhostUserFuzzTest {
    private static final int[] REQUESTS = {VHOST_USER_GET_FEATURES, VHOST_USER_SET_FEATURES, VHOST_USER_SET_OWNER,
        VHOST_USER_RESET_OWNER, VHOST_USER_SET_MEM_TABLE, VHOST_USER_SET_LOG_BASE, VHOST_USER_SET_LOG_FD,
        VHOST_USER_SET_VRING_NUM, VHOST_USER_SET_VRING_ADDR, VHOST_USER_SET_VRING_BASE, VHOST_USER_GET_VRING_BASE,
        VHOST_USER_SET_VRING_KICK, VHOST_USER_SET_VRING_CALL, VHOST_USER_SET_VRING_ERR,
        VHOST_USER_GET_PROTOCOL_FEATURES, VHOST_USER_SET_PROTOCOL_FEATURES, VHOST_USER_GET_QUEUE_NUM,
        VHOST_USER_SET_VRING_ENABLE, VHOST_USER_SET_SLAVE_REQ_FD, VHOST_USER_GET_CONFIG, VHOST_USER_SET_CONFIG,
        VHOST_USER_RESET_DEVICE, VHOST_USER_GET_MAX_MEM_SLOTS, VHOST_USER_ADD_MEM_REG, VHOST_USER_REM_MEM_REG,
        VHOST_USER_SET_STATUS, VHOST_USER_GET_STATUS, 0, 19, 99};

    private static final String MEMFD_NAME = "vhost-fuzz-memory";

    private static Path dir;
    private static String socket;
    private static VhostUserBackend backend;

    @BeforeAll
    static void listen() throws Exception {
        dir = Files.createTempDirectory("vhost-fuzz");
        socket = dir.resolve("vhost.sock").toString();
        RequestHandler echo = (readable, writable) -> 0;
        backend = VhostUserBackend.listen(socket, BackendOptions.defaults().withThreadPoolSize(1), echo, echo);
    }

    @AfterAll
    static void stop() throws IOException {
        backend.stop();
        Files.deleteIfExists(Path.of(socket));
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void messages(FuzzedDataProvider data) throws Exception {
        long fds = sessionFds();
        TestFrontend frontend = new TestFrontend(socket);
        try {
            for (int n = 0; n < 16 && data.remainingBytes() > 0; n++) {
                if (!send(frontend, data)) {
                    break; // the backend dropped us
                }
            }
        } finally {
            frontend.close();
        }
        // the backend goes on: the next frontend is served
        try (TestFrontend next = new TestFrontend(socket)) {
            assertNotEquals(0, next.getU64(VHOST_USER_GET_FEATURES) & 1L << VIRTIO_F_VERSION_1, "features of the next frontend");
        }
        // and the first one's fds (kick, call, err, memory) and mappings of its memory are gone
        long deadline = System.nanoTime() + 2_000_000_000L;
        while ((sessionFds() != fds || memoryMappings() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(fds, sessionFds(), "eventfds and memfds open after the session");
        assertEquals(0, memoryMappings(), "mappings of the session's memfds");
    }

    /** Open fds that are eventfds or this test's memfds: what a session receives. */
    private static long sessionFds() throws IOException {
        long n = 0;
        try (var entries = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) entries::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.contains("eventfd") || target.contains(MEMFD_NAME)) {
                        n++;
                    }
                } catch (IOException gone) {
                    // closed meanwhile (the listing's own fd, or another thread's)
                }
            }
        }
        return n;
    }

    private static long memoryMappings() throws IOException {
        try (var all = Files.lines(Path.of("/proc/self/maps"))) {
            return all.filter(l -> l.contains(MEMFD_NAME)).count();
        }
    }

    /** One message: a request, flags, a payload (its size field true or not) and 0 to 3 fds. */
    private static boolean send(TestFrontend frontend, FuzzedDataProvider data) throws PosixException {
        int request = data.pickValue(REQUESTS);
        int flags = data.consumeBoolean() ? VHOST_USER_VERSION | (data.consumeBoolean() ? VHOST_USER_NEED_REPLY_MASK : 0)
                : data.consumeInt();
        byte[] payload = data.consumeBytes(data.consumeInt(0, 320));
        int size = data.consumeBoolean() ? payload.length : data.consumeInt(0, 0x1100);
        List<Integer> fds = new ArrayList<>();
        try {
            int count = data.consumeInt(0, 3);
            for (int i = 0; i < count; i++) {
                if (data.consumeBoolean()) {
                    fds.add(Memory.eventfd(0, MemFlags.EFD_NONBLOCK | MemFlags.EFD_CLOEXEC));
                } else {
                    int memfd = Memory.memfdCreate(MEMFD_NAME, MemFlags.MFD_CLOEXEC);
                    fds.add(memfd);
                    Io.ftruncate(memfd, data.consumeInt(0, 16) * 4096L);
                }
            }
            ByteBuffer message = ByteBuffer.allocate(12 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
            message.putInt(request).putInt(flags).putInt(size).put(payload).flip();
            frontend.sendRaw(message, fds.stream().mapToInt(Integer::intValue).toArray());
            return true;
        } catch (PosixException e) {
            return false; // EPIPE, ECONNRESET: the backend closed the connection
        } finally {
            for (int fd : fds) {
                Io.closeQuietly(fd);
            }
        }
    }
}

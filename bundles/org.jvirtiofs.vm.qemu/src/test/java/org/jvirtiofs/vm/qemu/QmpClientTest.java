package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The QMP client against a real QEMU (a machine with no guest), and against peers that misbehave. */
class QmpClientTest {
    @TempDir
    Path tmp;

    private Process qemu;

    @AfterEach
    void stopQemu() throws InterruptedException {
        if (qemu != null) {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private QmpClient connectToQemu() throws Exception {
        qemu = Qemu.withQmpOnly(tmp);
        return QmpClient.connect(tmp.resolve("qmp.sock"), "test", 10_000, qemu::isAlive);
    }

    @Test
    void commandsAreAnsweredAfterTheCapabilitiesHandshake() throws Exception {
        try (QmpClient qmp = connectToQemu()) {
            assertEquals(7, qmp.execute("query-version", null).getAsJsonObject().getAsJsonObject("qemu")
                    .get("major").getAsInt(), "Debian 12's QEMU is 7.2");
            assertTrue(qmp.execute("query-status", null).getAsJsonObject().has("status"));
        }
    }

    @Test
    void anErrorReplyCarriesQemusClassAndDescription() throws Exception {
        try (QmpClient qmp = connectToQemu()) {
            QmpException e = assertThrows(QmpException.class, () -> qmp.execute("no-such-command", null));
            assertEquals("CommandNotFound", e.errorClass());
            assertTrue(e.getMessage().startsWith("no-such-command: "), e.getMessage());
        }
    }

    @Test
    void anEventReachesTheWaiterRegisteredBeforeTheCommand() throws Exception {
        try (QmpClient qmp = connectToQemu()) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            qmp.listen(e -> seen.add(e.name()));
            CompletableFuture<QmpClient.QmpEvent> stop = qmp.nextEvent(e -> e.name().equals("STOP"));
            qmp.execute("stop", null);
            assertEquals("STOP", stop.get(10, TimeUnit.SECONDS).name());
            assertTrue(seen.contains("STOP"), seen.toString());
        }
    }

    @Test
    void whenQemuQuitsTheClientSaysSoInsteadOfWaiting() throws Exception {
        try (QmpClient qmp = connectToQemu()) {
            try {
                qmp.execute("quit", null);
            } catch (QmpException e) {
                // QEMU may close before its answer: either is fine
            }
            assertTrue(qemu.waitFor(10, TimeUnit.SECONDS));
            long deadline = System.currentTimeMillis() + 5_000;
            while (qmp.isOpen() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            QmpException e = assertThrows(QmpException.class, () -> qmp.execute("query-status", null, 5_000));
            assertTrue(e.getMessage().contains("closed") || e.getMessage().contains("failed"), e.getMessage());
        }
    }

    @Test
    void aPeerThatNeverGreetsIsGivenUpOnInTime() throws Exception {
        Path socket = tmp.resolve("silent.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> QmpClient.connect(socket, "test", 500, () -> true));
            assertTrue(e.getMessage().contains("did not greet"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void anEventBeforeTheGreetingIsNotTakenForIt() throws Exception {
        // what QEMU 7.2 sent a client that connected as it started (seen in CI): RESUME, then the greeting
        Path socket = tmp.resolve("early.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> peer = scriptedPeer(server, 500,
                    "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}\r\n"
                            + "{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n",
                    "{\"return\": {}, \"id\": 1}\r\n", // to qmp_capabilities
                    "{\"return\": {\"status\": \"running\"}, \"id\": 2}\r\n"); // to query-status
            try (QmpClient qmp = QmpClient.connect(socket, "test", 5_000, () -> true)) {
                assertEquals("running", qmp.execute("query-status", null, 5_000).getAsJsonObject().get("status")
                        .getAsString());
            }
            peer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void malformedJsonEndsTheConnectionAndFailsTheWaitingCommand() throws Exception {
        Path socket = tmp.resolve("garbage.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<Void> peer = scriptedPeer(server, 2_000, "{\"QMP\": {}}\r\n",
                    "{\"return\": {}, \"id\": 1}\r\n", // to qmp_capabilities
                    "{\"return\": ]]]\r\n"); // to the next command
            try (QmpClient qmp = QmpClient.connect(socket, "test", 5_000, () -> true)) {
                QmpException e = assertThrows(QmpException.class, () -> qmp.execute("query-status", null, 10_000));
                assertTrue(e.getMessage().contains("failed"), e.getMessage());
            }
            peer.get(10, TimeUnit.SECONDS);
        }
        assertTrue(Files.exists(socket));
    }

    /**
     * A QMP peer that accepts one client and sends {@code greeting}; then, for each of
     * {@code replies}, reads one command and sends the reply; then waits {@code lingerMillis}.
     */
    private static CompletableFuture<Void> scriptedPeer(ServerSocketChannel server, long lingerMillis, String greeting,
                                                        String... replies) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel ch = server.accept()) {
                ch.write(ByteBuffer.wrap(greeting.getBytes(StandardCharsets.UTF_8)));
                for (String reply : replies) {
                    ch.read(ByteBuffer.allocate(4096));
                    ch.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.UTF_8)));
                }
                Thread.sleep(lingerMillis);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }
}

package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console capture and the console socket, with the serial port's far end played by a socket
 * that stands where QEMU's would (what the guest prints, what the guest is typed).
 */
class SerialConsoleTest {
    @TempDir
    Path tmp;

    private static void send(SocketChannel ch, String s) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private static String receive(SocketChannel ch, String until) throws Exception {
        StringBuilder got = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        long deadline = System.currentTimeMillis() + 10_000;
        while (!got.toString().contains(until) && System.currentTimeMillis() < deadline) {
            b.clear();
            if (ch.read(b) < 0) {
                break;
            }
            got.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }
        return got.toString();
    }

    @Test
    void theConsoleIsWrittenToItsFileServedWithItsBacklogAndTyped() throws Exception {
        Path serial = tmp.resolve("serial.sock");
        Path file = tmp.resolve("logs/console.log");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "the previous boot\n");
        try (ServerSocketChannel qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            qemu.bind(UnixDomainSocketAddress.of(serial));
            try (SerialConsole console = SerialConsole.open(serial, file, "t", 5_000, () -> true);
                    SocketChannel guest = qemu.accept()) {
                assertEquals("the previous boot\n", Files.readString(file.resolveSibling("console.log.1")));
                send(guest, "boot line 1\r\nboot line 2\r\n");
                assertTrue(console.awaitOutput(5_000));
                try (ConsoleServer server = ConsoleServer.open(tmp.resolve("console.sock"), console, "t");
                        SocketChannel operator = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
                    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(server.path())), "only the platform's user may type");
                    assertEquals("boot line 1\r\nboot line 2\r\n", receive(operator, "line 2\r\n"),
                            "a new client gets what the guest printed before it came");
                    send(guest, "login: ");
                    assertEquals("login: ", receive(operator, "login: "));
                    send(operator, "root\r");
                    assertEquals("root\r", receive(guest, "\r"), "what the client types reaches the guest");
                }
                assertFalse(Files.exists(tmp.resolve("console.sock")), "the console socket goes with its server");
                long deadline = System.currentTimeMillis() + 5_000;
                while (!Files.readString(file).endsWith("login: ") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                assertEquals("boot line 1\r\nboot line 2\r\nlogin: ", Files.readString(file));
                assertEquals(List.of("boot line 2", "login: "), SerialConsole.tail(file, 2));
            }
        }
    }

    @Test
    void theBacklogKeepsTheLatestOutputAcrossTheRingsEnd() throws Exception {
        Path serial = tmp.resolve("serial.sock");
        try (ServerSocketChannel qemu = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            qemu.bind(UnixDomainSocketAddress.of(serial));
            try (SerialConsole console = SerialConsole.open(serial, tmp.resolve("c.log"), "t", 5_000, () -> true);
                    SocketChannel guest = qemu.accept()) {
                StringBuilder all = new StringBuilder();
                for (int i = 0; all.length() < SerialConsole.BACKLOG_BYTES * 2; i++) {
                    all.append("line ").append(i).append('\n');
                }
                send(guest, all.toString());
                long deadline = System.currentTimeMillis() + 10_000;
                while (Files.size(tmp.resolve("c.log")) < all.length() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                java.util.concurrent.BlockingQueue<byte[]> got = new java.util.concurrent.LinkedBlockingQueue<>();
                console.followWithBacklog(got::add);
                String backlog = new String(got.poll(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
                assertEquals(SerialConsole.BACKLOG_BYTES, backlog.length());
                assertEquals(all.substring(all.length() - SerialConsole.BACKLOG_BYTES), backlog);
            }
        }
    }
}

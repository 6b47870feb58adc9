package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serial console as a Unix socket for the platform's user (only the owner may connect: the
 * console of a guest is a root shell more often than not), e.g. with
 * {@code socat -,raw,echo=0,escape=0x1d UNIX-CONNECT:PATH} (Ctrl-] leaves): each client gets the
 * recent output first, then everything the guest prints, and what it sends is typed on the
 * guest's console. A client too slow to keep up is dropped rather than slow down the console.
 */
final class ConsoleServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleServer.class);
    /** Chunks of output a client may fall behind by before it is dropped. */
    private static final int CLIENT_QUEUE = 1024;
    private static final byte[] END = new byte[0];

    private final ServerSocketChannel server;
    private final Path path;
    private final SerialConsole console;
    private final String vm;
    private final List<Client> clients = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private ConsoleServer(ServerSocketChannel server, Path path, SerialConsole console, String vm) {
        this.server = server;
        this.path = path;
        this.console = console;
        this.vm = vm;
    }

    /** Listens on {@code path} (a stale file there is replaced). */
    static ConsoleServer open(Path path, SerialConsole console, String vm) throws IOException {
        Files.createDirectories(path.toAbsolutePath().getParent());
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(path));
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        ConsoleServer s = new ConsoleServer(server, path, console, vm);
        Thread accept = new Thread(s::acceptLoop, "console-server-" + vm);
        accept.setDaemon(true);
        accept.start();
        return s;
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", path, e.toString());
        }
        clients.forEach(Client::close);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.debug("removing {}: {}", path, e.toString());
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                Client c = new Client(ch);
                clients.add(c);
                c.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("vm {}: the console socket {} stopped accepting: {}", vm, path, e.toString());
                }
                return;
            }
        }
    }

    /** One connected client: a writer thread draining its queue, a reader thread typing its input. */
    private final class Client implements Consumer<byte[]> {
        private final SocketChannel channel;
        private final BlockingQueue<byte[]> out = new ArrayBlockingQueue<>(CLIENT_QUEUE);

        Client(SocketChannel channel) {
            this.channel = channel;
        }

        void start() {
            console.followWithBacklog(this);
            daemon(this::writeLoop, "console-out-" + vm).start();
            daemon(this::readLoop, "console-in-" + vm).start();
        }

        @Override
        public void accept(byte[] chunk) {
            if (!out.offer(chunk)) {
                LOG.info("vm {}: a console client fell behind; disconnected", vm);
                close();
            }
        }

        private void writeLoop() {
            try {
                for (byte[] chunk; (chunk = out.take()) != END;) {
                    ByteBuffer b = ByteBuffer.wrap(chunk);
                    while (b.hasRemaining()) {
                        channel.write(b);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client left
            }
            close();
        }

        private void readLoop() {
            ByteBuffer b = ByteBuffer.allocate(1024);
            try {
                while (channel.read(b.clear()) > 0) {
                    console.write(Arrays.copyOf(b.array(), b.position()));
                }
            } catch (IOException e) {
                // the client or the guest's console left
            }
            close();
        }

        void close() {
            console.unfollow(this);
            clients.remove(this);
            out.clear();
            out.offer(END);
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}

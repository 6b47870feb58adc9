package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The client end of one of QEMU's Unix sockets (QMP, the serial console). Reads and writes go
 * straight to the channel: the streams of {@code Channels} would hold the channel's blocking lock
 * while a read waits, and a write from another thread would wait behind it.
 */
final class UnixSocket implements AutoCloseable {
    private static final long RETRY_MILLIS = 20;

    private final SocketChannel channel;

    private UnixSocket(SocketChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects to {@code path}, retrying while QEMU has not made the socket yet.
     *
     * @param alive false once QEMU has exited: no use waiting any longer
     * @throws IOException if the socket does not accept a connection in time
     */
    static UnixSocket connect(Path path, long timeoutMillis, BooleanSupplier alive) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        IOException last = null;
        while (System.nanoTime() < deadline && alive.getAsBoolean()) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(path));
                return new UnixSocket(ch);
            } catch (IOException e) {
                ch.close();
                last = e;
            }
            try {
                Thread.sleep(RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + path);
            }
        }
        throw new IOException("no connection to " + path + (alive.getAsBoolean() ? " within " + timeoutMillis + " ms"
                : ": QEMU exited") + (last != null ? " (" + last.getMessage() + ")" : ""));
    }

    /** Reads what is there, blocking until something is; -1 at the end. */
    int read(ByteBuffer into) throws IOException {
        return channel.read(into);
    }

    /** Writes all of {@code bytes}. */
    void write(byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        synchronized (channel) {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        }
    }

    /** The socket's input as a stream, for parsers. */
    InputStream input() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : channel.read(ByteBuffer.wrap(b, off, len));
            }
        };
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with it
        }
    }
}

package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guest's serial port: everything it prints is appended to the console file and handed to
 * whoever follows it; what an operator types goes back in. The previous boot's file is kept as
 * {@code FILE.1}.
 */
final class SerialConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SerialConsole.class);
    /** How much of the file's end {@link #tail} reads: enough for any sensible number of lines. */
    private static final int TAIL_BYTES = 1 << 20;
    /** How much recent output a new follower may ask for first (a screenful of scrollback and then some). */
    static final int BACKLOG_BYTES = 64 << 10;

    private final UnixSocket socket;
    private final FileChannel file;
    private final List<Consumer<byte[]>> followers = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstOutput = new CountDownLatch(1);
    /** The last {@link #BACKLOG_BYTES} of output, a ring; guarded by itself, with the followers' calls. */
    private final byte[] backlog = new byte[BACKLOG_BYTES];
    private long written; // guarded by backlog
    private final Thread reader;

    private SerialConsole(UnixSocket socket, FileChannel file, String vm) {
        this.socket = socket;
        this.file = file;
        this.reader = new Thread(this::readLoop, "console-" + vm);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    /**
     * Starts a new console file (keeping the last one as FILE.1) and connects to the serial socket;
     * until then QEMU waits, so the guest's first byte is already captured.
     */
    static SerialConsole open(Path socketPath, Path consoleFile, String vm, long timeoutMillis,
            java.util.function.BooleanSupplier alive) throws IOException {
        Files.createDirectories(consoleFile.toAbsolutePath().getParent());
        if (Files.exists(consoleFile)) {
            Files.move(consoleFile, consoleFile.resolveSibling(consoleFile.getFileName() + ".1"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
        FileChannel file = FileChannel.open(consoleFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new SerialConsole(UnixSocket.connect(socketPath, timeoutMillis, alive), file, vm);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** Adds a follower of the output from now on. */
    void follow(Consumer<byte[]> output) {
        followers.add(output);
    }

    /**
     * Hands {@code output} the recent output (up to {@link #BACKLOG_BYTES}), then follows: nothing
     * is missed or repeated in between. The follower must not block: it runs on the reader's thread.
     */
    void followWithBacklog(Consumer<byte[]> output) {
        synchronized (backlog) {
            int n = (int) Math.min(written, BACKLOG_BYTES);
            byte[] recent = new byte[n];
            int start = (int) ((written - n) % BACKLOG_BYTES);
            int first = Math.min(n, BACKLOG_BYTES - start);
            System.arraycopy(backlog, start, recent, 0, first);
            System.arraycopy(backlog, 0, recent, first, n - first);
            if (n > 0) {
                output.accept(recent);
            }
            followers.add(output);
        }
    }

    /** Removes a follower. */
    void unfollow(Consumer<byte[]> output) {
        followers.remove(output);
    }

    /** Types {@code input} on the guest's serial port. */
    void write(byte[] input) throws IOException {
        socket.write(input);
    }

    /** Waits for the guest's first byte of output; true if it came in time. */
    boolean awaitOutput(long millis) throws InterruptedException {
        return firstOutput.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Waits for the reader to have written everything QEMU sent before it closed the socket. */
    void drain(long millis) throws InterruptedException {
        reader.join(millis);
    }

    @Override
    public void close() {
        socket.close();
        try {
            reader.join(2_000);
            file.close();
        } catch (IOException e) {
            LOG.debug("closing a console file: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last {@code lines} lines of a console file (carriage returns dropped); none if it does not exist. */
    static List<String> tail(Path consoleFile, int lines) throws IOException {
        if (lines <= 0 || !Files.exists(consoleFile)) {
            return List.of();
        }
        byte[] bytes;
        try (FileChannel ch = FileChannel.open(consoleFile, StandardOpenOption.READ)) {
            long size = ch.size();
            long from = Math.max(0, size - TAIL_BYTES);
            ByteBuffer b = ByteBuffer.allocate((int) (size - from));
            while (b.hasRemaining() && ch.read(b, from + b.position()) > 0) {
                // reads until the end as it was when we looked
            }
            bytes = Arrays.copyOf(b.array(), b.position());
        }
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r", "");
        List<String> all = new ArrayList<>(List.of(text.split("\n", -1)));
        if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
            all.remove(all.size() - 1); // the text ended with a newline
        }
        return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private void remember(byte[] chunk) {
        for (byte b : chunk) {
            backlog[(int) (written++ % BACKLOG_BYTES)] = b;
        }
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (socket.read(buf.clear()) > 0) {
                buf.flip();
                byte[] chunk = new byte[buf.remaining()];
                buf.get(chunk);
                firstOutput.countDown();
                file.write(ByteBuffer.wrap(chunk));
                synchronized (backlog) {
                    remember(chunk);
                    for (Consumer<byte[]> f : followers) {
                        try {
                            f.accept(chunk);
                        } catch (RuntimeException e) {
                            LOG.debug("a console follower failed; dropped: {}", e.toString());
                            followers.remove(f);
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.debug("console ended: {}", e.toString());
        }
    }
}

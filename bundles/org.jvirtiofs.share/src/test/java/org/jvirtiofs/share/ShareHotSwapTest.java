package org.jvirtiofs.share;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;
import org.jvirtiofs.fs.memory.MemoryFilesystemFactory;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystemFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A share mounted on the host over /dev/fuse keeps serving a busy workload while its provider is
 * swapped for another configuration, taken away and given back: the workload sees no error and
 * no wrong data, and files held open across the swaps keep working.
 */
class ShareHotSwapTest {
    private Path base;
    private Path source;
    private Path mnt;
    private Share share;

    @BeforeEach
    void setUp() throws IOException {
        base = Files.createTempDirectory("jvfs-share");
        source = Files.createDirectory(base.resolve("source"));
        mnt = Files.createDirectory(base.resolve("mnt"));
    }

    @AfterEach
    void tearDown() throws IOException {
        if (share != null) {
            share.stop();
        }
        try (var walk = Files.walk(base)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private ShareSettings settings(Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("source", source.toString(), "mountpoint", mnt.toString(),
                "threads", 2, "cache", "never", "suspend-timeout", 10));
        config.putAll(extra);
        return ShareSettings.parse(config, "swap");
    }

    @Test
    void aWorkloadSeesNoErrorWhileTheProviderIsSwappedRemovedAndReturned() throws Exception {
        for (int i = 0; i < 3000; i++) { // enough entries that one listing needs several getdents
            Files.createFile(Files.createDirectories(source.resolve("big")).resolve("entry-" + i));
        }
        share = new Share("pid.swap", settings(Map.of()));
        PassthroughFilesystemFactory first = new PassthroughFilesystemFactory();
        share.providerAvailable(first);
        assertEquals(ShareState.RUNNING, share.state(), share.info().reason());

        List<String> errors = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong rounds = new AtomicLong();
        FileChannel held = FileChannel.open(mnt.resolve("held"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        Thread workload = new Thread(() -> loop(held, stop, rounds, errors), "workload");
        DirectoryStream<Path> listing = Files.newDirectoryStream(mnt.resolve("big"));
        Iterator<Path> entries = listing.iterator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1500; i++) {
            seen.add(entries.next().getFileName().toString());
        }
        workload.start();

        Thread.sleep(300);
        PassthroughFilesystemFactory second = new PassthroughFilesystemFactory();
        share.swap(second, settings(Map.of("inode-file-handles", "prefer")));
        Thread.sleep(300);
        share.providerGone(second); // the provider bundle stops for an update...
        Thread.sleep(500);
        share.providerAvailable(new PassthroughFilesystemFactory()); // ...and its new version starts
        assertEquals(ShareState.RUNNING, share.state(), share.info().reason());
        Thread.sleep(300);
        share.swap(first, settings(Map.of("inode-file-handles", "never")));
        Thread.sleep(300);
        try {
            entries.forEachRemaining(p -> seen.add(p.getFileName().toString()));
        } catch (RuntimeException e) {
            throw new AssertionError("listing across the swaps failed; " + share.stats(), e);
        }
        listing.close();
        stop.set(true);
        workload.join(10_000);

        assertEquals(List.of(), errors);
        assertTrue(rounds.get() > 10, "the workload ran: " + rounds.get() + " rounds");
        assertEquals(3000, seen.size(), "a listing open across the swaps sees every entry once");
        ByteBuffer b = ByteBuffer.allocate(8);
        long last = rounds.get() - 1;
        held.read(b, last * 8);
        assertEquals(last, b.flip().getLong(), "the file held open kept its data");
        held.close();
        assertEquals(Files.size(source.resolve("held")), rounds.get() * 8, "written through to the host");
        ShareStats stats = share.stats();
        assertEquals(3, stats.swaps());
        assertTrue(stats.requests().getOrDefault("WRITE", 0L) >= rounds.get(), stats.requests().toString());
        assertTrue(stats.bytesWritten() > 0 && stats.bytesRead() > 0);
        // close(2) does not wait for its RELEASE: the kernel may still have that one in flight
        for (long end = System.nanoTime() + 5_000_000_000L; share.stats().inFlight() != 0 && System.nanoTime() < end; ) {
            Thread.sleep(10);
        }
        assertEquals(0, share.stats().inFlight());
        assertTrue(stats.connected());
    }

    /** Create, write, read back, rename, read, delete; and append a counter to a file held open. */
    private void loop(FileChannel held, AtomicBoolean stop, AtomicLong rounds, List<String> errors) {
        for (long i = 0; !stop.get(); i++) {
            try {
                byte[] data = ("round " + i + " ").repeat(100).getBytes(StandardCharsets.UTF_8);
                Path a = mnt.resolve("file-" + i);
                Path b = mnt.resolve("renamed-" + i);
                Files.write(a, data);
                check(Files.readAllBytes(a), data, "read back " + a);
                Files.move(a, b);
                check(Files.readAllBytes(b), data, "read after rename " + b);
                Files.delete(b);
                ByteBuffer n = ByteBuffer.allocate(8).putLong(0, i);
                held.write(n, i * 8);
                ByteBuffer back = ByteBuffer.allocate(8);
                held.read(back, i * 8);
                if (back.getLong(0) != i) {
                    throw new IOException("held file reads " + back.getLong(0) + " at round " + i);
                }
                rounds.incrementAndGet();
            } catch (IOException | RuntimeException e) {
                errors.add(e.toString());
                return;
            }
        }
    }

    private static void check(byte[] actual, byte[] expected, String what) throws IOException {
        if (!java.util.Arrays.equals(actual, expected)) {
            throw new IOException(what + ": wrong data");
        }
    }

    @Test
    void requestsFailWithEioWhenNoProviderReturnsAndServeAgainWhenOneDoes() throws Exception {
        Files.writeString(source.resolve("f"), "data");
        share = new Share("pid.gone", settings(Map.of("suspend-timeout", 1)));
        PassthroughFilesystemFactory factory = new PassthroughFilesystemFactory();
        share.providerAvailable(factory);
        assertEquals("data", Files.readString(mnt.resolve("f")));
        share.providerGone(factory);
        assertEquals(ShareState.SUSPENDED, share.state());
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> Files.readString(mnt.resolve("f")));
        assertTrue(System.nanoTime() - start >= 900_000_000L, "waited for a replacement first");
        assertTrue(e.getMessage() == null || !e.getMessage().isEmpty());
        assertTrue(share.stats().errors().getOrDefault("EIO", 0L) >= 1, share.stats().errors().toString());
        share.providerAvailable(new PassthroughFilesystemFactory());
        assertEquals(ShareState.RUNNING, share.state());
        assertEquals("data", Files.readString(mnt.resolve("f")));
    }

    @Test
    void aSwapToAProviderOfAnotherTreeShowsThatTree() throws Exception {
        Files.writeString(source.resolve("host-file"), "x");
        share = new Share("pid.tree", settings(Map.of()));
        share.providerAvailable(new PassthroughFilesystemFactory());
        assertTrue(Files.exists(mnt.resolve("host-file")));
        share.swap(new MemoryFilesystemFactory(), settings(Map.of()).withProvider("memory", Map.of()));
        assertFalse(Files.exists(mnt.resolve("host-file")), "the memory provider serves its own, empty tree");
        Files.writeString(mnt.resolve("in-memory"), "y");
        assertEquals("y", Files.readString(mnt.resolve("in-memory")));
        assertFalse(Files.exists(source.resolve("in-memory")), "nothing reaches the host directory");
    }

    @Test
    void aRefusedSwapLeavesTheOldProviderServing() throws Exception {
        Files.writeString(source.resolve("f"), "still here");
        share = new Share("pid.refused", settings(Map.of()));
        share.providerAvailable(new PassthroughFilesystemFactory());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> share.swap(
                new PassthroughFilesystemFactory(), settings(Map.of("source", base.resolve("missing").toString()))));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        assertEquals("still here", Files.readString(mnt.resolve("f")));
        assertEquals(ShareState.RUNNING, share.state());
    }

    @Test
    void aShareWhoseMountpointIsMissingFailsWithTheReason() {
        share = new Share("pid.bad", ShareSettings.parse(Map.of("source", source.toString(),
                "mountpoint", base.resolve("nope").toString()), "bad"));
        share.providerAvailable(new PassthroughFilesystemFactory());
        assertEquals(ShareState.FAILED, share.state());
        assertTrue(share.info().reason().contains("not a directory"), share.info().reason());
    }

    @Test
    void aSocketAnotherProcessListensOnIsNeverTakenOver() throws Exception {
        Path socket = base.resolve("busy.sock");
        try (java.nio.channels.ServerSocketChannel other = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX)) {
            other.bind(java.net.UnixDomainSocketAddress.of(socket));
            share = new Share("pid.sock", ShareSettings.parse(Map.of("source", source.toString(),
                    "socket", socket.toString()), "sock"));
            share.providerAvailable(new PassthroughFilesystemFactory());
            assertEquals(ShareState.FAILED, share.state());
            assertTrue(share.info().reason().contains("is in use by another process"), share.info().reason());
            assertTrue(Files.exists(socket), "the other process keeps its socket");
        }
    }

    @Test
    void aStaleSocketFileIsReplacedAndServed() throws Exception {
        Path socket = base.resolve("stale.sock");
        java.nio.channels.ServerSocketChannel dead = java.nio.channels.ServerSocketChannel.open(
                java.net.StandardProtocolFamily.UNIX);
        dead.bind(java.net.UnixDomainSocketAddress.of(socket));
        dead.close(); // the file stays, nobody listens: what a killed daemon leaves
        share = new Share("pid.stale", ShareSettings.parse(Map.of("source", source.toString(),
                "socket", socket.toString()), "stale"));
        share.providerAvailable(new PassthroughFilesystemFactory());
        assertEquals(ShareState.RUNNING, share.state(), share.info().reason());
        assertFalse(share.info().connected());
    }
}

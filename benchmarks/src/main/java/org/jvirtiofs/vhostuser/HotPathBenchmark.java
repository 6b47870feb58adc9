package org.jvirtiofs.vhostuser;

import static org.jvirtiofs.vhostuser.internal.VhostUser.VHOST_USER_ADD_MEM_REG;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VHOST_USER_F_PROTOCOL_FEATURES;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VHOST_USER_SET_FEATURES;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTIO_F_VERSION_1;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTIO_RING_F_EVENT_IDX;
import static org.jvirtiofs.vhostuser.internal.VhostUser.VIRTIO_RING_F_INDIRECT_DESC;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystem;
import org.jvirtiofs.fs.passthrough.PassthroughOptions;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.vhostuser.TestVirtqueue.Buf;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request path without a guest: a real vhost-user backend (socket, memfd guest memory, split
 * virtqueue, queue worker thread) in front of a FuseSession and the memory provider (or, with
 * {@code -p provider=}, passthrough or one that does nothing), driven as the guest kernel drives
 * it. Each invocation publishes a batch of {@link #BATCH} prepared requests, kicks once and spins
 * until the used ring shows them all; the score is requests per second on one queue. The
 * descriptor chains are written once, so the driver allocates nothing and {@code -prof gc}'s
 * bytes per op are the backend's.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HotPathBenchmark {
    /** Requests per kick: half the queue, as a busy guest keeps it. */
    static final int BATCH = 64;
    private static final int QUEUE_SIZE = 256;
    private static final long RAM_GPA = 0x4000_0000L;
    private static final long RAM_SIZE = 64L << 20;
    private static final long RAM_UADDR = 0x7f55_0000_0000L;
    private static final long RINGS = RAM_GPA;
    private static final long REQUESTS = RAM_GPA + 0x10_0000;
    /** Each slot: request at +0, reply at +SLOT/2 (room for a 128 KiB READ's reply, with its header). */
    private static final long SLOT = 0x8_0000;
    private static final long FEATURES = 1L << VIRTIO_F_VERSION_1 | 1L << VIRTIO_RING_F_INDIRECT_DESC
        | 1L << VIRTIO_RING_F_EVENT_IDX | 1L << VHOST_USER_F_PROTOCOL_FEATURES;

    private static final int ENOENT = 2;
    private static final int FUSE_LOOKUP = 1;
    private static final int FUSE_GETATTR = 3;
    private static final int FUSE_READ = 15;
    private static final int FUSE_WRITE = 16;
    private static final int FUSE_INIT = 26;
    private static final int FUSE_CREATE = 35;

    @Param({"getattr", "lookup-hit", "lookup-miss", "read-4k", "read-128k", "write-4k", "write-128k"})
    public String op;

    /**
     * The provider: {@code memory} (the memory provider); {@code passthrough}, on a directory
     * of the temporary filesystem (each request's system calls included); or {@code fixed},
     * which does nothing and makes nothing ({@link FixedFilesystem}), to measure the request
     * path alone.
     */
    @Param({"memory"})
    public String provider;

    /**
     * Where in the file READ and WRITE work, in bytes: 0, or far enough in (64 MiB) that the
     * memory provider's chunk indexes are past the small numbers Java keeps boxed.
     */
    @Param({"0"})
    public long offset;

    private Path dir;
    private FuseFilesystem fs;
    private VhostUserBackend backend;
    private TestFrontend frontend;
    private TestGuestMemory ram;
    private TestVirtqueue hiprio;
    private TestVirtqueue queue;
    private int[] errFds;
    private final int[] heads = new int[BATCH];
    private long unique = 1;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("jvirtiofs-jmh");
        fs = switch (provider) {
            case "memory" -> new MemoryFilesystem(MemoryOptions.defaults());
            case "fixed" -> new FixedFilesystem();
            case "passthrough" ->
                new PassthroughFilesystem(PassthroughOptions.of(Files.createDirectory(dir.resolve("share"))));
            default -> throw new IllegalArgumentException(
                "provider " + provider + ": memory, passthrough or fixed");
        };
        FuseSession session = new FuseSession(fs, SessionOptions.defaults());
        String socket = dir.resolve("bench.sock").toString();
        backend = VhostUserBackend.listen(socket, BackendOptions.defaults(), session::handle, session::handle);
        frontend = new TestFrontend(socket);
        ram = new TestGuestMemory(RAM_GPA, RAM_SIZE, RAM_UADDR);
        hiprio = new TestVirtqueue(0, QUEUE_SIZE, ram, RINGS);
        queue = new TestVirtqueue(1, QUEUE_SIZE, ram, RINGS + 0x1_0000);
        errFds = new int[] {Memory.eventfd(0, MemFlags.EFD_CLOEXEC), Memory.eventfd(0, MemFlags.EFD_CLOEXEC)};
        long offered = frontend.realize(List.of(hiprio, queue), errFds);
        frontend.setU64(VHOST_USER_SET_FEATURES, offered & FEATURES);
        if (frontend.memReg(VHOST_USER_ADD_MEM_REG, ram) != 0) {
            throw new IllegalStateException("ADD_MEM_REG refused");
        }
        frontend.startQueue(hiprio);
        frontend.startQueue(queue);

        // INIT, then a file with 128 KiB in it at the offset, open for the reads and writes
        call(request(FUSE_INIT, 0, ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(7).putInt(36).putInt(128 << 10).putInt(0xffff_ffff).putInt(1).flip()), 4096);
        ByteBuffer created = call(request(FUSE_CREATE, 1, ByteBuffer.allocate(16 + 5).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(2 /* O_RDWR */).putInt(0100644).putInt(022).putInt(0).put("file\0".getBytes(StandardCharsets.UTF_8))
            .flip()), 4096);
        long node = created.getLong(16);
        long fh = created.getLong(16 + 128);
        byte[] data = new byte[128 << 10];
        call(request(FUSE_WRITE, node, writeIn(fh, offset, data.length).put(data).flip()), 4096);

        ByteBuffer args = switch (op) {
            case "getattr" -> ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(1).putInt(0).putLong(fh).flip();
            case "lookup-hit" -> ByteBuffer.wrap("file\0".getBytes(StandardCharsets.UTF_8));
            case "lookup-miss" -> ByteBuffer.wrap("nothing-here\0".getBytes(StandardCharsets.UTF_8));
            case "read-4k" -> readIn(fh, offset, 4096);
            case "read-128k" -> readIn(fh, offset, 128 << 10);
            case "write-4k" -> writeIn(fh, offset, 4096).put(new byte[4096]).flip();
            case "write-128k" -> writeIn(fh, offset, 128 << 10).put(new byte[128 << 10]).flip();
            default -> throw new IllegalArgumentException(op);
        };
        int opcode = switch (op) {
            case "getattr" -> FUSE_GETATTR;
            case "lookup-hit", "lookup-miss" -> FUSE_LOOKUP;
            case "read-4k", "read-128k" -> FUSE_READ;
            default -> FUSE_WRITE;
        };
        long target = opcode == FUSE_LOOKUP ? 1 : node;
        int replyRoom = op.startsWith("read") ? 16 + (128 << 10) : 4096;
        // the batch's chains, written once: BATCH requests in consecutive descriptors
        for (int i = 0; i < BATCH; i++) {
            byte[] bytes = request(opcode, target, args.duplicate());
            long at = REQUESTS + SLOT * i;
            ram.put(at, bytes);
            heads[i] = queue.chain(List.of(Buf.in(at, bytes.length), Buf.out(at + SLOT / 2, replyRoom)));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        backend.stop();
        fs.close();
        frontend.close();
        queue.close();
        hiprio.close();
        ram.close();
        for (int fd : errFds) {
            org.jvirtiofs.posix.Io.close(fd);
        }
        Files.deleteIfExists(dir.resolve("bench.sock"));
        Files.deleteIfExists(dir.resolve("share").resolve("file"));
        Files.deleteIfExists(dir.resolve("share"));
        Files.deleteIfExists(dir);
    }

    /**
     * Every request of the batch was served, not refused: a benchmark of error replies (a reply
     * overrunning the next request, say) would measure nothing of the request path. The one
     * error expected is a LOOKUP miss's ENOENT: passthrough answers a miss so, as virtiofsd
     * does, where the memory provider sends a negative entry.
     */
    @TearDown(Level.Iteration)
    public void checkReplies() {
        int expected = op.equals("lookup-miss") ? -ENOENT : 0;
        for (int i = 0; i < BATCH; i++) {
            ByteBuffer reply = ByteBuffer.wrap(ram.get(REQUESTS + SLOT * i + SLOT / 2, 16))
                .order(ByteOrder.LITTLE_ENDIAN);
            if (reply.getInt(4) != 0 && reply.getInt(4) != expected) {
                throw new IllegalStateException(
                    op + ": request " + i + " of the batch failed with errno " + -reply.getInt(4));
            }
        }
    }

    /** One batch: publish every prepared chain, kick once, wait for all of them in the used ring. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int batch() throws Exception {
        int target = (queue.usedIdx() + BATCH) & 0xffff;
        // as virtqueue_enable_cb_delayed: one interrupt for the whole batch
        queue.setUsedEvent((target - 1) & 0xffff);
        for (int head : heads) {
            queue.publish(head);
        }
        queue.kick();
        int used;
        while ((used = queue.usedIdx()) != target) {
            Thread.onSpinWait();
        }
        return used;
    }

    /** Sends one request and waits for its reply; returns the reply (header included). */
    private ByteBuffer call(byte[] request, int replyRoom) throws Exception {
        long at = REQUESTS + SLOT * BATCH;
        ram.put(at, request);
        int before = queue.usedIdx();
        queue.submit(List.of(Buf.in(at, request.length), Buf.out(at + SLOT / 2, replyRoom)));
        if (!queue.awaitUsed(before + 1, 5000)) {
            throw new IllegalStateException("no reply to opcode " + ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getInt(4));
        }
        int length = queue.usedLen(before);
        ByteBuffer reply = ByteBuffer.wrap(ram.get(at + SLOT / 2, length)).order(ByteOrder.LITTLE_ENDIAN);
        if (reply.getInt(4) != 0) {
            throw new IllegalStateException("opcode " + ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN).getInt(4)
                + " failed with errno " + -reply.getInt(4));
        }
        return reply;
    }

    /** fuse_in_header (40 bytes) and the arguments. */
    private byte[] request(int opcode, long node, ByteBuffer args) {
        ByteBuffer b = ByteBuffer.allocate(40 + args.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40 + args.remaining()).putInt(opcode).putLong(unique++).putLong(node).putInt(0).putInt(0).putInt(1)
            .putInt(0).put(args);
        return b.array();
    }

    private static ByteBuffer readIn(long fh, long offset, int size) {
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putLong(fh).putLong(offset).putInt(size).putInt(0)
            .putLong(0).putInt(0).putInt(0).flip();
    }

    private static ByteBuffer writeIn(long fh, long offset, int size) {
        return ByteBuffer.allocate(40 + size).order(ByteOrder.LITTLE_ENDIAN).putLong(fh).putLong(offset).putInt(size)
            .putInt(0).putLong(0).putInt(0).putInt(0);
    }
}

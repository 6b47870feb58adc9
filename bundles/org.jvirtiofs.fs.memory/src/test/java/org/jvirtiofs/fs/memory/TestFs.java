package org.jvirtiofs.fs.memory;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.junit.jupiter.api.function.Executable;
import org.jvirtiofs.api.testkit.SegmentedMemory;

/** A memory filesystem under test, a clock the test moves, and shorthands for common calls. */
final class TestFs {
    static final long ROOT = FuseFilesystem.FUSE_ROOT_ID;
    static final Context ROOT_USER = Context.KERNEL;
    static final Context ALICE = new Context(1000, 1000, 42);
    static final Context BOB = new Context(1001, 1001, 43);
    static final OpenFlags RDWR = new OpenFlags(OpenFlags.O_RDWR);
    static final OpenFlags RDONLY = new OpenFlags(OpenFlags.O_RDONLY);
    static final OpenFlags WRONLY = new OpenFlags(OpenFlags.O_WRONLY);
    static final int UMASK = 022;

    /** A clock that moves only when told to. */
    static final class Clock implements InstantSource {
        private Instant now = Instant.parse("2024-01-01T00:00:00.123456789Z");

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(long seconds, long nanos) {
            now = now.plusSeconds(seconds).plusNanos(nanos);
        }
    }

    final Clock clock = new Clock();
    final MemoryFilesystem fs;
    Context ctx = ALICE;

    TestFs() {
        this(new MemoryOptions(1L << 30, 1000, 0777, 0, 0, CacheMode.ALWAYS));
    }

    TestFs(MemoryOptions options) {
        fs = new MemoryFilesystem(options, clock);
    }

    static FileName name(String name) {
        return FileName.of(name);
    }

    /** The errno {@code call} fails with. */
    static int errno(Executable call) {
        return assertThrows(FsException.class, call).errno();
    }

    Entry lookup(long parent, String name) throws FsException {
        return fs.lookup(ctx, parent, name(name));
    }

    Entry mkdir(long parent, String name) throws FsException {
        return fs.mkdir(ctx, parent, name(name), 0777, UMASK);
    }

    Entry mknod(long parent, String name) throws FsException {
        return fs.mknod(ctx, parent, name(name), FileMode.S_IFREG | 0666, 0, UMASK);
    }

    long open(long node, OpenFlags flags) throws FsException {
        return fs.open(ctx, node, flags, false).handle();
    }

    int write(long node, long handle, long offset, byte[] data) throws FsException {
        return fs.write(ctx, node, handle, new SegmentedMemory.Reader(data), data.length, offset,
                OptionalLong.empty(), RDWR, 0);
    }

    byte[] read(long node, long handle, long offset, int size) throws FsException {
        SegmentedMemory.Writer dst = new SegmentedMemory.Writer(size);
        int n = fs.read(ctx, node, handle, dst, size, offset, OptionalLong.empty(), RDWR);
        byte[] bytes = dst.bytes();
        if (bytes.length != n) {
            throw new AssertionError("read returned " + n + " but committed " + bytes.length);
        }
        return bytes;
    }

    /** Creates {@code name} in the root holding {@code data}; returns its node id. */
    long file(String name, byte[] data) throws FsException {
        long node = mknod(ROOT, name).nodeId();
        long handle = open(node, RDWR);
        write(node, handle, 0, data);
        release(node, handle);
        return node;
    }

    void release(long node, long handle) throws FsException {
        fs.release(ctx, node, handle, RDWR, false, false, 0);
    }

    Attr attr(long node) throws FsException {
        return fs.getattr(ctx, node, OptionalLong.empty()).attr();
    }

    /** The whole listing of {@code dir}, in one READDIR call from {@code offset}. */
    List<DirEntry> readdir(long dir, long offset) throws FsException {
        return readdir(dir, offset, Integer.MAX_VALUE);
    }

    /** At most {@code max} entries of {@code dir}, from {@code offset}. */
    List<DirEntry> readdir(long dir, long offset, int max) throws FsException {
        long handle = fs.opendir(ctx, dir, RDONLY).handle();
        List<DirEntry> out = new ArrayList<>();
        fs.readdir(ctx, dir, handle, offset, 4096, entry -> out.size() < max && out.add(entry));
        fs.releasedir(ctx, dir, handle, RDONLY);
        return out;
    }

    /** The names in a listing. */
    static List<String> names(List<DirEntry> entries) {
        return entries.stream().map(e -> e.name().toString()).toList();
    }

    /** Returns every lookup reference the kernel would hold after {@code entries}. */
    void forget(Entry... entries) {
        for (Entry e : entries) {
            fs.forget(ctx, e.nodeId(), 1);
        }
    }
}

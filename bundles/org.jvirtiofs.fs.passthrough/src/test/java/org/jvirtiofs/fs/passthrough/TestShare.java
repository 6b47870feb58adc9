package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.junit.jupiter.api.function.Executable;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.jvirtiofs.api.testkit.SegmentedMemory;

/** A passthrough filesystem on a fresh source directory under target/, with call shorthands. */
final class TestShare implements AutoCloseable {
    static final long ROOT = FuseFilesystem.FUSE_ROOT_ID;
    static final Context ROOT_USER = Context.KERNEL;
    static final OpenFlags RDWR = new OpenFlags(OpenFlags.O_RDWR);
    static final OpenFlags RDONLY = new OpenFlags(OpenFlags.O_RDONLY);
    static final OpenFlags WRONLY = new OpenFlags(OpenFlags.O_WRONLY);

    private static final int PATH_ONLY =
            org.jvirtiofs.posix.OpenFlags.O_PATH | org.jvirtiofs.posix.OpenFlags.O_CLOEXEC;

    final Path base;
    final Path source;
    final PassthroughFilesystem fs;
    Context ctx = ROOT_USER;

    TestShare() throws Exception {
        this(o -> o);
    }

    TestShare(UnaryOperator<PassthroughOptions> tweak) throws Exception {
        this(null, tweak);
    }

    /** A share of {@code source}, or of a fresh directory under target/ when it is null. */
    TestShare(Path source, UnaryOperator<PassthroughOptions> tweak) throws Exception {
        base = newBase();
        this.source = source != null ? source : Files.createDirectory(base.resolve("share"));
        fs = new PassthroughFilesystem(tweak.apply(PassthroughOptions.of(this.source)));
        fs.init(java.util.EnumSet.allOf(FsCapability.class));
    }

    /**
     * Runs {@code open} (which opens a share) with openat2 confinement, or with the O_NOFOLLOW
     * fallback that kernels without openat2 get.
     */
    static <T> T confinedBy(boolean openat2, java.util.concurrent.Callable<T> open) throws Exception {
        String old = System.setProperty(Confinement.OPENAT2_PROPERTY, Boolean.toString(openat2));
        try {
            return open.call();
        } finally {
            if (old == null) {
                System.clearProperty(Confinement.OPENAT2_PROPERTY);
            } else {
                System.setProperty(Confinement.OPENAT2_PROPERTY, old);
            }
        }
    }

    /** A fresh directory on ext4 under target/. */
    static Path newBase() throws IOException {
        Path root = Files.createDirectories(Path.of("target", "shares").toAbsolutePath());
        return Files.createTempDirectory(root, "t");
    }

    static FileName name(String n) {
        return FileName.of(n);
    }

    Entry lookup(long parent, String n) throws FsException {
        return fs.lookup(ctx, parent, name(n));
    }

    Entry mkdir(long parent, String n) throws FsException {
        return fs.mkdir(ctx, parent, name(n), 0755, 022);
    }

    CreateReply create(long parent, String n) throws FsException {
        return fs.create(ctx, parent, name(n), 0644, RDWR, 022, false);
    }

    int write(long node, long handle, long offset, String data) throws FsException {
        byte[] b = data.getBytes(StandardCharsets.UTF_8);
        return fs.write(ctx, node, handle, new SegmentedMemory.Reader(b), b.length, offset,
                OptionalLong.empty(), RDWR, 0);
    }

    String read(long node, long handle, long offset, int size) throws FsException {
        SegmentedMemory.Writer w = new SegmentedMemory.Writer(size);
        int n = fs.read(ctx, node, handle, w, size, offset, OptionalLong.empty(), RDONLY);
        assertEquals(n, w.bytes().length);
        return new String(w.bytes(), StandardCharsets.UTF_8);
    }

    /** Creates {@code n} with {@code content} through the filesystem and releases it. */
    Entry createFile(long parent, String n, String content) throws FsException {
        CreateReply c = create(parent, n);
        write(c.entry().nodeId(), c.open().handle(), 0, content);
        fs.release(ctx, c.entry().nodeId(), c.open().handle(), RDWR, false, false, 0);
        return c.entry();
    }

    /** Opens, reads everything (up to 1 MiB) and releases. */
    String readAll(long node) throws FsException {
        long h = fs.open(ctx, node, RDONLY, false).handle();
        try {
            return read(node, h, 0, 1 << 20);
        } finally {
            fs.release(ctx, node, h, RDONLY, false, false, 0);
        }
    }

    /** Every name a full readdir lists. */
    List<String> list(long dir) throws FsException {
        long h = fs.opendir(ctx, dir, RDONLY).handle();
        List<String> names = new ArrayList<>();
        long[] offset = {0};
        while (true) {
            List<DirEntry> batch = new ArrayList<>();
            fs.readdir(ctx, dir, h, offset[0], 4096, e -> batch.size() < 3 && batch.add(e));
            if (batch.isEmpty()) {
                break;
            }
            for (DirEntry e : batch) {
                names.add(e.name().toString());
                offset[0] = e.nextOffset();
            }
        }
        fs.releasedir(ctx, dir, h, RDONLY);
        return names;
    }

    /**
     * Runs {@code call} with RLIMIT_NOFILE lowered so that no fd can be opened (nor a class
     * loaded from a file: make what it needs first).
     */
    static <T> T atTheOpenFileLimit(Callable<T> call) throws Exception {
        Rlimit before = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        for (int attempt = 0; attempt < 10; attempt++) {
            int lowestFree = Fs.openat(AtFlags.AT_FDCWD, "/", PATH_ONLY, 0);
            Io.close(lowestFree);
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(lowestFree, before.max()));
            try {
                if (noFdLeft()) {
                    return call.call();
                } // else another thread closed a lower fd meanwhile: again
            } finally {
                ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, before);
            }
        }
        throw new AssertionError("could not reach the open-file limit");
    }

    private static boolean noFdLeft() throws PosixException {
        try {
            Io.close(Fs.openat(AtFlags.AT_FDCWD, "/", PATH_ONLY, 0));
            return false;
        } catch (PosixException e) {
            if (e.errno() == org.jvirtiofs.posix.Errno.EMFILE) {
                return true;
            }
            throw e;
        }
    }

    static void assertErrno(int errno, Executable call) {
        FsException e = assertThrows(FsException.class, call);
        assertEquals(errno, e.errno(), "errno " + e.getMessage());
    }

    @Override
    public void close() {
        fs.destroy();
        fs.close();
    }
}

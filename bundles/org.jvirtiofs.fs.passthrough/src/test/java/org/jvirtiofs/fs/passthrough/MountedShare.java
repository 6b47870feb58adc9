package org.jvirtiofs.fs.passthrough;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.UnaryOperator;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.RequestObserver;
import org.jvirtiofs.fuse.SessionOptions;

/** A passthrough share of a fresh source directory (or a given one), mounted on the host through /dev/fuse. */
final class MountedShare implements AutoCloseable {
    final Path base;
    final Path source;
    final Path mnt;
    final PassthroughFilesystem fs;
    /** The requests the session served, by opcode. */
    private final AtomicIntegerArray served = new AtomicIntegerArray(64);
    private FuseMount mount;

    MountedShare(UnaryOperator<PassthroughOptions> tweak) throws Exception {
        this(null, tweak);
    }

    /** A share of {@code source}, or of a fresh directory under target/ when it is null. */
    MountedShare(Path source, UnaryOperator<PassthroughOptions> tweak) throws Exception {
        base = TestShare.newBase();
        this.source = source != null ? source : Files.createDirectory(base.resolve("share"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        fs = new PassthroughFilesystem(tweak.apply(PassthroughOptions.of(this.source)));
        RequestObserver counter = (opcode, errno, nanos, bytes) -> {
            if (opcode >= 0 && opcode < served.length()) {
                served.incrementAndGet(opcode);
            }
        };
        mount = FuseMount.mount(mnt, new FuseSession(fs, SessionOptions.defaults(), counter),
                MountOptions.defaults().withReaders(4));
    }

    /** How many requests of {@code opcode} the session served so far. */
    int served(int opcode) {
        return served.get(opcode);
    }

    FuseMount mount() {
        return mount;
    }

    @Override
    public void close() {
        if (mount != null) {
            mount.close();
            mount = null;
        }
        fs.close();
    }
}

package org.jvirtiofs.fs.passthrough;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.RequestObserver;
import org.jvirtiofs.fuse.SessionOptions;

/** A passthrough share of a fresh source directory, mounted on the host through /dev/fuse. */
final class MountedShare implements AutoCloseable {
    final Path base;
    final Path source;
    final Path mnt;
    final PassthroughFilesystem fs;
    private FuseMount mount;

    MountedShare(UnaryOperator<PassthroughOptions> tweak) throws Exception {
        this(tweak, RequestObserver.NONE);
    }

    /** A share whose session tells {@code observer} of every request it served. */
    MountedShare(UnaryOperator<PassthroughOptions> tweak, RequestObserver observer) throws Exception {
        base = TestShare.newBase();
        source = Files.createDirectory(base.resolve("share"));
        mnt = Files.createDirectory(base.resolve("mnt"));
        fs = new PassthroughFilesystem(tweak.apply(PassthroughOptions.of(source)));
        mount = FuseMount.mount(mnt, new FuseSession(fs, SessionOptions.defaults(), observer),
                MountOptions.defaults().withReaders(4));
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

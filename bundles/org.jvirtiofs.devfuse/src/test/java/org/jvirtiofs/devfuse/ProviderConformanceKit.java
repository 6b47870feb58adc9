package org.jvirtiofs.devfuse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;

/**
 * The conformance battery for any provider, published in this module's test-jar: extend it,
 * give {@link #newProvider} a fresh, empty, writable filesystem, and JUnit runs real programs
 * ({@code ops.sh}: cp -a, tar, find, mv, ln, mkfifo, mknod, truncate, dd, xattrs, flock, python3)
 * on it through a /dev/fuse mount and on tmpfs, and requires the same output byte for byte, then
 * the same description of every file left ({@code describe.sh}). Needs root (mount) and
 * /dev/fuse; see docs/writing-a-provider.md.
 */
public abstract class ProviderConformanceKit {
    @TempDir
    protected Path tmp;

    private Path tmpfs;
    private Path mnt;
    private FuseFilesystem provider;
    private FuseMount mount;

    /**
     * A new, empty, writable filesystem of the provider under test; {@code scratch} is an empty
     * host directory it may keep its data in. The kit closes it after the test.
     */
    protected abstract FuseFilesystem newProvider(Path scratch) throws Exception;

    /** The mount options; override to test e.g. several reader threads. */
    protected MountOptions mountOptions() {
        return MountOptions.defaults();
    }

    @BeforeEach
    void mountTheProviderAndTmpfs() throws Exception {
        tmpfs = Files.createDirectory(tmp.resolve("tmpfs"));
        mnt = Files.createDirectory(tmp.resolve("mnt"));
        // the same nosuid,nodev FUSE mounts get, so device nodes behave alike
        Mounts.mount("tmpfs", tmpfs.toString(), "tmpfs", MountFlags.MS_NOSUID | MountFlags.MS_NODEV,
                "size=512m,mode=755");
        provider = newProvider(Files.createDirectory(tmp.resolve("scratch")));
        mount = FuseMount.mount(mnt, provider, mountOptions());
    }

    @AfterEach
    void unmountBoth() throws Exception {
        try {
            if (mount != null) {
                mount.close();
            }
            if (provider != null) {
                provider.close();
            }
        } finally {
            Mounts.umount2(tmpfs.toString(), 0);
        }
    }

    /** The mount point of the provider under test, for a subclass's own tests. */
    protected Path mountpoint() {
        return mnt;
    }

    /** The /dev/fuse mount of the provider, for a subclass's own tests. */
    protected FuseMount mount() {
        return mount;
    }

    /** Unmounts the provider now (the kit then only closes it). */
    protected void unmount() {
        mount.close();
        mount = null;
    }

    @Test
    public void realProgramsSeeOnTheProviderWhatTheySeeOnTmpfs() throws Exception {
        Programs.assertSameOutput("ops.sh", tmpfs, mnt);
        Programs.assertSameOutput("describe.sh", tmpfs, mnt);
    }
}

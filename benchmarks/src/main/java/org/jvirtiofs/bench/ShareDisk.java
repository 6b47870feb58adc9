package org.jvirtiofs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A fresh ext4 filesystem for one run's share: a sparse image in the work directory, made with
 * its journal and inode tables written up front (no lazy initialisation working behind the
 * benchmark), loop-mounted on the share's directory, and gone again after the run.
 *
 * <p>Why: every backend should start from the same disk. On a long-lived filesystem the cost of
 * making a file depends on what was deleted there lately (ext4 without a journal, as this
 * machine's root filesystem is, skips inodes freed in the last minutes and scans past them:
 * 10,000 creates took 0.12–1.25 s there from one minute to the next, against 0.19 s on a fresh
 * journaled ext4), and so on which backend ran just before.
 */
final class ShareDisk implements AutoCloseable {
    private final Path image;
    private final Path mountPoint;

    private ShareDisk(Path image, Path mountPoint) {
        this.image = image;
        this.mountPoint = mountPoint;
    }

    /** Makes {@code image} ({@code mib} MiB, sparse) and mounts it on the empty directory {@code mountPoint}. */
    static ShareDisk mount(Path image, Path mountPoint, int mib) throws IOException, InterruptedException {
        unmountIfMounted(mountPoint);
        Files.deleteIfExists(image);
        try {
            GuestBench.exec(List.of("truncate", "-s", mib + "M", image.toString()), null);
            GuestBench.exec(List.of("mkfs.ext4", "-q", "-F", "-E", "lazy_itable_init=0,lazy_journal_init=0",
                image.toString()), null);
            GuestBench.exec(List.of("mount", "-o", "loop", image.toString(), mountPoint.toString()), null);
            Files.deleteIfExists(mountPoint.resolve("lost+found"));
        } catch (UncheckedIOException e) {
            Files.deleteIfExists(image);
            throw new IllegalStateException("cannot put the share on a fresh ext4 image (" + firstLine(e)
                + "); --share-fs dir uses a plain directory in the work directory instead", e);
        }
        return new ShareDisk(image, mountPoint);
    }

    /** Whether {@code dir} is a mount point, by the kernel's mount table. */
    static boolean mounted(Path dir) throws IOException {
        String target = dir.toAbsolutePath().normalize().toString();
        for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
            String[] f = line.split(" ");
            if (f.length > 1 && f[1].replace("\\040", " ").equals(target)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Unmounts {@code dir} if something is mounted there (after a run, or left by a benchmark that
     * was killed). If a process still holds the filesystem, it is detached lazily rather than
     * failing the whole benchmark: the next run gets a fresh filesystem either way.
     */
    static void unmountIfMounted(Path dir) throws IOException, InterruptedException {
        if (Files.isDirectory(dir) && mounted(dir)) {
            try {
                GuestBench.exec(List.of("umount", dir.toString()), null);
            } catch (UncheckedIOException busy) {
                GuestBench.exec(List.of("umount", "-l", dir.toString()), null);
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            unmountIfMounted(mountPoint);
        } finally {
            Files.deleteIfExists(image);
        }
    }

    private static String firstLine(UncheckedIOException e) {
        String m = e.getCause().getMessage();
        return m.lines().skip(1).filter(l -> !l.isBlank()).findFirst().orElse(m.lines().findFirst().orElse(m)).trim();
    }
}

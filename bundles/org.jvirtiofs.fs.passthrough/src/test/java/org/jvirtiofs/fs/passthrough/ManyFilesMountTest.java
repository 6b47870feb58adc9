package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.junit.jupiter.api.Test;

/**
 * With inode file handles a share holds no fd per inode the guest knows, so a tree of 200,000
 * files is walked (every entry looked up and stat'ed, as node_modules or a git checkout is) under
 * an open-file limit of 2,048. Holding an O_PATH fd per inode would run out at the 2,048th.
 */
class ManyFilesMountTest {
    private static final int DIRECTORIES = 200;
    private static final int FILES_PER_DIRECTORY = 1000;
    private static final long LIMIT = 2048;

    @Test
    void twoHundredThousandFilesAreWalkedUnderAnOpenFileLimitOf2048() throws Exception {
        try (MountedShare share = new MountedShare(o -> o.withInodeFileHandles(InodeFileHandles.MANDATORY))) {
            for (int d = 0; d < DIRECTORIES; d++) {
                Path dir = Files.createDirectory(share.source.resolve("d" + d));
                for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
                    Files.createFile(dir.resolve("f" + f));
                }
            }
            Rlimit before = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(LIMIT, before.max()));
            AtomicLong files = new AtomicLong();
            long maxFds = 0;
            try {
                // the FUSE readers serve the walk in this process, under the lowered limit
                try (Stream<Path> walk = Files.walk(share.mnt)) {
                    for (Path p : (Iterable<Path>) walk::iterator) {
                        if (Files.readAttributes(p, BasicFileAttributes.class).isRegularFile()) {
                            if (files.incrementAndGet() % 20_000 == 0) {
                                maxFds = Math.max(maxFds, openFds());
                            }
                        }
                    }
                }
            } finally {
                ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, before);
            }
            assertEquals((long) DIRECTORIES * FILES_PER_DIRECTORY, files.get(), "files seen through the mount");
            assertTrue(maxFds < LIMIT / 2, "open fds during the walk: " + maxFds);
        }
    }

    private static long openFds() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

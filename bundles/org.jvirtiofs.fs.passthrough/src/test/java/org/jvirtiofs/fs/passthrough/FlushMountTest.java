package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.fuse.FuseOpcode;

/**
 * Which closes cost the kernel a FLUSH round trip, counted by the session of a real mount. While
 * the guest keeps its own POSIX locks, no close of a file on a local file system sends one (its
 * host close reports nothing); of a file whose host close can report an error (here on another
 * FUSE mount), only a writer's close does. Every close does while locks are taken on the host,
 * where FLUSH is what ends a closing process's locks.
 */
class FlushMountTest {
    private static final int READS = 10;
    private static final int WRITES = 3;

    private MountedShare share;

    @AfterEach
    void unmount() {
        if (share != null) {
            share.close();
        }
    }

    @Test
    void noCloseOnALocalFileSystemFlushesWhileTheGuestKeepsItsLocks() throws Exception {
        share = new MountedShare(o -> o.withLocks(false, false)); // under target/, on ext4
        closeFiles();
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_OPEN));
        assertEquals(0, share.served(FuseOpcode.FUSE_FLUSH), "the writers' closes too");
    }

    @Test
    void writersFlushWhereTheHostsCloseCanReportAnError() throws Exception {
        try (MountedShare below = new MountedShare(o -> o.withLocks(false, false))) {
            share = new MountedShare(below.mnt, o -> o.withLocks(false, false));
            closeFiles();
            assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_OPEN));
            assertEquals(WRITES, share.served(FuseOpcode.FUSE_FLUSH), "only the writers' closes flush");
            share.close();
            share = null;
        }
    }

    @Test
    void everyCloseFlushesWhileLocksAreTakenOnTheHost() throws Exception {
        share = new MountedShare(o -> o.withLocks(true, false));
        closeFiles();
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_OPEN));
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_FLUSH));
    }

    /** Reads a file READS times and appends to it WRITES times through the mount, each an open and a close. */
    private void closeFiles() throws Exception {
        Files.writeString(share.source.resolve("f"), "data\n");
        Path f = share.mnt.resolve("f");
        for (int i = 0; i < READS; i++) {
            assertEquals("data\n", Files.readString(f));
        }
        for (int i = 0; i < WRITES; i++) {
            Files.writeString(f, "more\n", StandardOpenOption.APPEND);
        }
        assertEquals("data\n" + "more\n".repeat(WRITES), Files.readString(share.source.resolve("f")));
    }
}

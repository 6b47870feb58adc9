package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.fuse.FuseOpcode;

/**
 * Which closes cost the kernel a FLUSH round trip, counted by the session of a real mount: a
 * read-only file's close sends none while the guest keeps its own POSIX locks, and every close does
 * while they are taken on the host, where FLUSH is what ends a closing process's locks.
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
    void readOnlyClosesSendNoFlushWhileTheGuestKeepsItsLocks() throws Exception {
        closeFiles(o -> o.withLocks(false, false));
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_OPEN));
        assertEquals(WRITES, share.served(FuseOpcode.FUSE_FLUSH), "only the writers' closes flush");
    }

    @Test
    void everyCloseFlushesWhileLocksAreTakenOnTheHost() throws Exception {
        closeFiles(o -> o.withLocks(true, false));
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_OPEN));
        assertEquals(READS + WRITES, share.served(FuseOpcode.FUSE_FLUSH));
    }

    /** Reads a file READS times and appends to it WRITES times through the mount, each an open and a close. */
    private void closeFiles(UnaryOperator<PassthroughOptions> options) throws Exception {
        share = new MountedShare(options);
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

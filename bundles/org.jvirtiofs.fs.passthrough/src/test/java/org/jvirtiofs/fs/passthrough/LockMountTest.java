package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/** Locks taken on the host and through the mount exclude each other, both ways. */
class LockMountTest {
    private static final String POSIX_HOLD = "import fcntl, sys, time\n"
            + "f = open(sys.argv[1], 'r+')\nfcntl.lockf(f, fcntl.LOCK_EX)\nprint('held', flush=True)\n"
            + "time.sleep(30)\n";
    private static final String POSIX_TRY = "import fcntl, sys\n"
            + "f = open(sys.argv[1], 'r+')\n"
            + "try:\n    fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)\n    print('locked')\n"
            + "except OSError:\n    print('blocked')\n";

    private static final String POSIX_BRIEF = "import fcntl, time; f = open('f', 'r+'); fcntl.lockf(f, fcntl.LOCK_EX);"
            + " print('held', flush=True); time.sleep(2)";
    private static final String POSIX_WAIT = "import fcntl; f = open('f', 'r+'); fcntl.lockf(f, fcntl.LOCK_EX);"
            + " print('got', flush=True)";

    private MountedShare share;
    private Process holder;

    @BeforeEach
    void mount() throws Exception {
        share = new MountedShare(o -> o);
        Files.writeString(share.source.resolve("f"), "lock me\n");
    }

    @AfterEach
    void unmount() throws Exception {
        if (holder != null) {
            stop(holder);
        }
        share.close();
    }

    @Test
    void aHostFlockBlocksTheSameFlockThroughTheMount() throws Exception {
        holder = holdFlock(share.source.resolve("f"));
        assertEquals("rc=1\n", tryFlock(share.mnt));
    }

    @Test
    void aFlockThroughTheMountBlocksTheSameFlockOnTheHost() throws Exception {
        holder = holdFlock(share.mnt.resolve("f"));
        assertEquals("rc=1\n", tryFlock(share.source));
        stop(holder);
        holder = null;
        assertEquals("rc=0\n", tryFlock(share.source), "released when the guest process ends");
    }

    @Test
    void aHostPosixLockBlocksThePosixLockThroughTheMount() throws Exception {
        holder = holdPosix(share.source.resolve("f"));
        assertEquals("blocked\n", Programs.run(share.mnt, "python3", "-c", POSIX_TRY, "f"));
    }

    @Test
    void aPosixLockThroughTheMountBlocksThePosixLockOnTheHost() throws Exception {
        holder = holdPosix(share.mnt.resolve("f"));
        assertEquals("blocked\n", Programs.run(share.source, "python3", "-c", POSIX_TRY, "f"));
        stop(holder);
        holder = null;
        assertEquals("locked\n", Programs.run(share.source, "python3", "-c", POSIX_TRY, "f"),
                "released when the guest process closes the file");
    }

    @Test
    void withoutHostLocksTheMountsLocksAreItsOwn() throws Exception {
        try (MountedShare local = new MountedShare(o -> o.withLocks(false, false))) {
            Files.writeString(local.source.resolve("f"), "lock me\n");
            holder = holdPosix(local.source.resolve("f"));
            assertEquals("locked\n", Programs.run(local.mnt, "python3", "-c", POSIX_TRY, "f"),
                    "a host lock is not the guest's");
            stop(holder);
            holder = holdFlock(local.source.resolve("f"));
            assertEquals("rc=0\n", tryFlock(local.mnt));
            stop(holder);
            holder = holdPosix(local.mnt.resolve("f"));
            assertEquals("blocked\n", Programs.run(local.mnt, "python3", "-c", POSIX_TRY, "f"),
                    "the guest kernel's own locks still exclude each other");
            assertEquals("locked\n", Programs.run(local.source, "python3", "-c", POSIX_TRY, "f"));
            stop(holder);
            holder = holdFlock(local.mnt.resolve("f"));
            assertEquals("rc=1\n", tryFlock(local.mnt));
            assertEquals("rc=0\n", tryFlock(local.source));
            stop(holder);
            holder = null;
            assertEquals("locked\n", Programs.run(local.mnt, "python3", "-c", POSIX_TRY, "f"));
        }
    }

    /**
     * More processes wait for a lock through the mount than it has readers (4), and the mount
     * goes on: the holder's release gets through, every waiter gets the lock in turn, and the
     * mount answers meanwhile. Until 2026-12-07 each waiter held a reader, and once they were
     * all held the release could never be read: the mount hung for good.
     */
    @Test
    void waitersForALockDoNotStopTheMount() throws Exception {
        for (String[] kind : new String[][] {
                {"flock", "flock -x f -c 'echo held; sleep 2'", "flock -x f echo got"},
                {"posix", "python3 -c \"" + POSIX_BRIEF + "\" f", "python3 -c \"" + POSIX_WAIT + "\" f"}}) {
            String out = Programs.run(share.mnt, "timeout", "60", "bash", "-c", kind[1] + " & sleep 0.5; "
                    + "for i in 1 2 3 4 5 6; do " + kind[2] + " & done; ls f; wait");
            assertEquals("held\nf\n" + "got\n".repeat(6), out, kind[0]);
        }
    }

    /** Ends a holder we started and its children (flock -c leaves the lock with its shell). */
    private static void stop(Process p) throws Exception {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(100); // FLUSH and RELEASE of the guest's file come after the exit
    }

    private static Process holdFlock(Path file) throws Exception {
        return waitFor(new ProcessBuilder("flock", "-x", file.toString(), "-c", "echo held; sleep 30")
                .redirectErrorStream(true).start());
    }

    private static Process holdPosix(Path file) throws Exception {
        return waitFor(new ProcessBuilder("python3", "-c", POSIX_HOLD, file.toString())
                .redirectErrorStream(true).start());
    }

    /** Waits until the holder printed "held". */
    private static Process waitFor(Process p) throws Exception {
        byte[] line = new byte[5];
        int n = p.getInputStream().readNBytes(line, 0, 5);
        assertTrue(n == 5 && new String(line).startsWith("held"), "holder did not take the lock");
        return p;
    }

    private static String tryFlock(Path dir) throws Exception {
        return Programs.run(dir, "bash", "-c", "flock -n f true; echo rc=$?");
    }
}

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

    private static final String POSIX_GETLK = "import fcntl, struct, sys\n"
            + "f = open(sys.argv[1], 'r+')\n"
            + "got = fcntl.fcntl(f, fcntl.F_GETLK, struct.pack('hhqqi4x', fcntl.F_WRLCK, 0, 0, 0, 0))\n"
            + "print('holder', struct.unpack('hhqqi4x', got)[4])\n";

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

    /**
     * F_GETLK names the process holding the lock: one that took it through the mount (whose OFD
     * lock on the host records none; until 2026-12-08 the answer was 0), or a host process.
     */
    @Test
    void getlkNamesTheHolder() throws Exception {
        holder = holdPosix(share.mnt.resolve("f"));
        assertEquals("holder " + holder.pid() + "\n", Programs.run(share.mnt, "python3", "-c", POSIX_GETLK, "f"));
        stop(holder);
        holder = holdPosix(share.source.resolve("f"));
        assertEquals("holder " + holder.pid() + "\n", Programs.run(share.mnt, "python3", "-c", POSIX_GETLK, "f"),
                "a host process's lock");
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

    /**
     * Holds the lock of kind $1 on f until file $2 appears (30 s at most); then a waiter is
     * killed, and another one's SIGALRM handler runs, while they wait for it.
     */
    private static final String SIGNALLED_WAITERS = """
            kind=$1
            hold() {
              python3 -c '
            import fcntl, os, sys, time
            f = open("f", "r+")
            (fcntl.flock if sys.argv[1] == "flock" else fcntl.lockf)(f, fcntl.LOCK_EX)
            print("held", flush=True)
            open("holding", "w").close()
            for i in range(300):
                if os.path.exists(sys.argv[2]):
                    break
                time.sleep(0.1)
            else:
                print("timeout: the waiter was not interrupted", flush=True)
            ' "$kind" "$1"
            }
            WAIT='
            import fcntl, signal, sys
            def alarmed(signum, frame):
                open("alarmed", "w").close()
                print("alarm", flush=True)
            signal.signal(signal.SIGALRM, alarmed)
            f = open("f", "r+")
            signal.alarm(int(sys.argv[2]))
            (fcntl.flock if sys.argv[1] == "flock" else fcntl.lockf)(f, fcntl.LOCK_EX)
            print("got", flush=True)
            '
            rm -f holding killed alarmed
            hold killed & holder=$!
            until [ -e holding ]; do sleep 0.05; done
            python3 -c "$WAIT" "$kind" 0 & waiter=$!
            sleep 1
            kill -9 $waiter; wait $waiter 2>/dev/null; echo "killed: $?"
            touch killed; wait $holder
            rm holding
            hold alarmed & holder=$!
            until [ -e holding ]; do sleep 0.05; done
            python3 -c "$WAIT" "$kind" 1
            wait $holder
            ls f
            """;

    /**
     * A process waiting for a lock through the mount can be killed, and a signal's handler runs
     * while it waits, the wait going on after it: the kernel sends INTERRUPT, the wait ends with
     * EINTR, and the kernel restarts the call or ends the process. Until 2026-12-08 the session
     * ignored INTERRUPT: a killed waiter stayed until the lock came, and a handler ran only then.
     */
    @Test
    void aWaitingProcessCanBeKilledOrRunItsSignalHandler() throws Exception {
        Path script = Files.createTempFile("jvirtiofs-", ".sh");
        try {
            Files.writeString(script, SIGNALLED_WAITERS);
            for (String kind : new String[] {"flock", "posix"}) {
                String out = Programs.run(share.mnt, "timeout", "100", "bash", script.toString(), kind);
                assertEquals("held\nkilled: 137\nheld\nalarm\ngot\nf\n", out, kind);
            }
        } finally {
            Files.delete(script);
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

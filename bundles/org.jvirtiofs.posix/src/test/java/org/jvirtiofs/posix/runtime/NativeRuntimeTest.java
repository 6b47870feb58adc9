package org.jvirtiofs.posix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.junit.jupiter.api.Test;

class NativeRuntimeTest {
    /**
     * Where the process may not raise its hard limit (no CAP_SYS_RESOURCE, as on the machines
     * this suite runs on) the soft limit goes up to the hard one; where it may, both go up to
     * what {@link NativeRuntime#wantedOpenFiles} says.
     */
    @Test
    void activationRaisesTheOpenFileLimit() throws Exception {
        Rlimit before = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(Math.min(before.max(), 256), before.max()));
        try {
            NativeRuntime runtime = new NativeRuntime();
            runtime.activate();
            Rlimit after = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
            assertEquals(after.max(), after.cur(), "soft at the hard limit");
            long nrOpen = NativeRuntime.nrOpen();
            long wanted = NativeRuntime.wantedOpenFiles(before, nrOpen);
            assertTrue(after.max() == before.max() || after.max() == wanted, "hard limit " + after.max()
                + ": kept at " + before.max() + " or raised to " + wanted);
            assertEquals(after, runtime.openFiles());
            runtime.deactivate();
        } finally {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, before);
        }
    }

    @Test
    void theWantedLimitIsAMillionOrTheKernelsCeilingAndNeverLower() {
        assertEquals(1_000_000, NativeRuntime.wantedOpenFiles(new Rlimit(1024, 20_000), 1_048_576));
        assertEquals(500_000, NativeRuntime.wantedOpenFiles(new Rlimit(1024, 20_000), 500_000));
        assertEquals(2_000_000, NativeRuntime.wantedOpenFiles(new Rlimit(1024, 2_000_000), 4_000_000),
            "a higher hard limit stays");
        assertEquals(1_000_000, NativeRuntime.wantedOpenFiles(new Rlimit(1024, 20_000), 0), "nr_open unknown");
        assertEquals(Rlimit.INFINITY, NativeRuntime.wantedOpenFiles(new Rlimit(1024, Rlimit.INFINITY), 1_048_576));
    }

    /** All of fs.nr_open: until 2026-12-07 it read as 1, and no limit was ever raised above the hard one. */
    @Test
    void theKernelsCeilingIsReadWhole() throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/fs/nr_open").start();
        long byCat = Long.parseLong(new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip());
        assertEquals(0, cat.waitFor());
        assertEquals(byCat, NativeRuntime.nrOpen());
        assertTrue(byCat >= 1024, "fs.nr_open " + byCat);
    }

    @Test
    void aLimitAskedForIsBothLimitsAndZeroIsTheLimitAtStart() throws Exception {
        Rlimit atStart = new Rlimit(1024, 20_000);
        assertEquals(new Rlimit(4096, 4096), NativeRuntime.target(4096, atStart, 1_048_576));
        assertEquals(new Rlimit(50_000, 50_000), NativeRuntime.target(50_000, atStart, 0), "nr_open unknown");
        assertEquals(atStart, NativeRuntime.target(0, atStart, 1_048_576));
        PosixException above = assertThrows(PosixException.class,
                () -> NativeRuntime.target(1_048_577, atStart, 1_048_576));
        assertEquals(Errno.EINVAL, above.errno());
        assertEquals("setrlimit(\"RLIMIT_NOFILE 1048577: above the kernel's ceiling, fs.nr_open = 1048576\"): "
                + "EINVAL (Invalid argument)", above.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NativeRuntime.target(-1, atStart, 1_048_576));
    }

    /**
     * Setting the limit in force, and back to the one at start: the hard limit is never raised
     * here (a process may lower it but only CAP_SYS_RESOURCE raises it, and this JVM runs the
     * rest of the tests).
     */
    @Test
    void setPutsTheLimitInForce() throws Exception {
        Rlimit before = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        try {
            NativeRuntime runtime = new NativeRuntime();
            runtime.activate();
            Rlimit hard = new Rlimit(runtime.openFiles().max(), runtime.openFiles().max());
            assertEquals(hard, runtime.set(hard.max()));
            assertEquals(hard, ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE));
            assertEquals(hard, runtime.openFiles());
            assertEquals(before, runtime.atStart());
            assertEquals(before, runtime.set(0));
            assertEquals(before, ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE));
            long nrOpen = NativeRuntime.nrOpen();
            assertEquals(Errno.EINVAL, assertThrows(PosixException.class, () -> runtime.set(nrOpen + 1)).errno());
            assertEquals(before, ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE), "unchanged by a refused limit");
            runtime.deactivate();
        } finally {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, before);
        }
    }

    @Test
    void deactivationWaitsUntilTheBindingsAreMade() throws Exception {
        NativeRuntime runtime = new NativeRuntime();
        runtime.activate();
        runtime.deactivate();
        // what a framework stopped straight after its start relies on: no thread still loading
        // classes from bundles about to be stopped
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("jvirtiofs-native-bindings") && t.isAlive()));
    }
}

package org.jvirtiofs.posix.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.junit.jupiter.api.Test;

class NativeRuntimeTest {
    @Test
    void activationRaisesTheSoftOpenFileLimitToTheHardLimit() throws Exception {
        Rlimit before = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(Math.min(before.max(), 256), before.max()));
        try {
            new NativeRuntime().activate();
            Rlimit after = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
            assertEquals(before.max(), after.cur());
            assertEquals(before.max(), after.max());
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

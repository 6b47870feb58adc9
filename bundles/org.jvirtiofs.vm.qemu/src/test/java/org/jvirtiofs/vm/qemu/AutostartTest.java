package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmState;

/**
 * The launcher as Config Admin drives it: configurations marked autostart boot once their shares
 * run, unless stopped by hand meanwhile; a refused edit never powers a running guest off.
 */
class AutostartTest {
    @TempDir
    Path tmp;

    private final Shares shares = new Shares();

    private VmManagerImpl manager() {
        VmManagerImpl m = new VmManagerImpl();
        m.activate(tmp.resolve("data"), null, shares);
        return m;
    }

    private static VmInfo await(VmManagerImpl m, String name, long millis, java.util.function.Predicate<VmInfo> done)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            VmInfo v = m.vm(name).orElse(null);
            if (v != null && done.test(v)) {
                return v;
            }
            Thread.sleep(20);
        }
        return m.vm(name).orElseThrow();
    }

    @Test
    void anAutostartBootsWithoutWaitingWhenItHasNoShares() throws Exception {
        Qemu.binary();
        Path disk = Files.write(tmp.resolve("empty.raw"), new byte[1 << 20]);
        VmManagerImpl m = manager();
        try {
            m.updated("org.jvirtiofs.vm~t", new Hashtable<>(Map.of("disk", disk.toString(), "accel", "tcg",
                    "memory", "64M", "autostart", "true", "stop-timeout", "1")));
            assertEquals(VmState.RUNNING, await(m, "t", 30_000, v -> v.state() == VmState.RUNNING).state());
        } finally {
            m.deactivate();
        }
        assertEquals(VmState.STOPPED, m.vm("t").orElseThrow().state(), "the platform stopping stops its VMs");
    }

    @Test
    void aStopWhileTheAutostartWaitsForItsShareKeepsTheVmDown() throws Exception {
        shares.put("late", ShareState.WAITING, "waiting for a provider of type 'x'", "vhost-user:/nonexistent.sock",
                false);
        Path disk = Files.write(tmp.resolve("empty.raw"), new byte[1 << 20]);
        VmManagerImpl m = manager();
        try {
            m.updated("org.jvirtiofs.vm~t", new Hashtable<>(Map.of("disk", disk.toString(), "accel", "tcg",
                    "shares", "late", "autostart", "true")));
            await(m, "t", 5_000, v -> true);
            m.stop("t");
            shares.put("late", ShareState.RUNNING, "", "vhost-user:" + tmp.resolve("late.sock"), false);
            Thread.sleep(1_000);
            VmInfo v = m.vm("t").orElseThrow();
            assertEquals(VmState.STOPPED, v.state(), v.reason());
            assertEquals(List.of(), v.attached());
            assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").contains("qemu")));
        } finally {
            m.deactivate();
        }
    }

    @Test
    void aRefusedEditLeavesARunningVmAsItWas() throws Exception {
        Path disk = Files.write(tmp.resolve("empty.raw"), new byte[1 << 20]);
        Map<String, Object> good = Map.of("disk", disk.toString(), "accel", "tcg", "memory", "64M", "autostart",
                "true", "stop-timeout", "1");
        VmManagerImpl m = manager();
        try {
            m.updated("org.jvirtiofs.vm~t", new Hashtable<>(good));
            long pid = await(m, "t", 30_000, v -> v.state() == VmState.RUNNING).pid();
            // what FileInstall can deliver while it rewrites the file: a part of it
            m.updated("org.jvirtiofs.vm~t", new Hashtable<>(Map.of("accel", "tcg", "shares", "")));
            VmInfo v = await(m, "t", 5_000, i -> !i.reason().isEmpty());
            assertEquals(VmState.RUNNING, v.state());
            assertEquals(pid, v.pid(), "the same QEMU runs on");
            assertTrue(v.reason().startsWith("the last configuration was refused, it runs with the one before: vm t: "
                    + "set exactly one of 'kernel'"), v.reason());
            m.updated("org.jvirtiofs.vm~t", new Hashtable<>(good));
            v = await(m, "t", 5_000, i -> i.reason().isEmpty());
            assertEquals("", v.reason(), "a good configuration clears the refusal");
            assertEquals(pid, v.pid());
        } finally {
            m.deactivate();
        }
    }
}

package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmState;

/**
 * A VM's life with a real QEMU booting an empty disk (the firmware finds nothing to boot, and
 * ignores the power button): start, supervision, stop by quitting, and the refusals that start
 * nothing. Guests that mount shares are the itests' business.
 */
class VmLifecycleTest {
    @TempDir
    Path tmp;

    private final Shares shares = new Shares();
    private Path disk;
    private Vm vm;

    @BeforeEach
    void emptyDisk() throws Exception {
        Qemu.binary();
        disk = Files.write(tmp.resolve("empty.raw"), new byte[1 << 20]);
    }

    @AfterEach
    void stop() {
        if (vm != null) {
            vm.stop();
        }
    }

    private Vm vm(Host host, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(Map.of("disk", disk.toString(), "accel", "tcg", "memory", "64M",
                "stop-timeout", "1"));
        config.putAll(extra);
        VmManagerImpl context = new VmManagerImpl(host);
        context.activate(tmp.resolve("data"), null, shares);
        vm = new Vm("org.jvirtiofs.vm~t", VmSettings.parse(config, "t"), tmp.resolve("data/t"), context);
        return vm;
    }

    private Vm vm(Map<String, Object> extra) {
        return vm(new Host(), extra);
    }

    private static List<ProcessHandle> qemuChildren() {
        return ProcessHandle.current().children().filter(p -> p.info().command().orElse("").contains("qemu")).toList();
    }

    @Test
    void startRunsQemuAndStopQuitsItWhenTheGuestIgnoresThePowerButton() throws Exception {
        VmInfo running = vm(Map.of()).start();
        assertEquals(VmState.RUNNING, running.state());
        assertEquals("tcg", running.accel());
        assertEquals("running", vm.info().qemuStatus(), "from QMP's query-status");
        assertTrue(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false));
        Path consoleSocket = Path.of(running.consoleSocket());
        assertTrue(Files.exists(consoleSocket), "the console is served while it runs");
        assertTrue(Files.exists(Path.of(running.console())));

        IllegalStateException twice = assertThrows(IllegalStateException.class, vm::start);
        assertEquals("vm t is already RUNNING", twice.getMessage());

        VmInfo stopped = vm.stop();
        assertEquals(VmState.STOPPED, stopped.state());
        assertEquals("stopped: QEMU quit after the guest did not power off within 1 s", stopped.reason());
        assertEquals(-1, stopped.pid());
        assertEquals("", stopped.qemuStatus());
        assertFalse(ProcessHandle.of(running.pid()).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(consoleSocket.getParent()), "the run folder is gone");
        assertEquals(List.of(), qemuChildren());
    }

    @Test
    void qemuDyingUnderTheVmFailsItWithTheExitCode() throws Exception {
        VmInfo running = vm(Map.of()).start();
        ProcessHandle.of(running.pid()).orElseThrow().destroyForcibly();
        long deadline = System.currentTimeMillis() + 10_000;
        while (vm.state() == VmState.RUNNING && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        VmInfo failed = vm.info();
        assertEquals(VmState.FAILED, failed.state());
        assertTrue(failed.reason().startsWith("QEMU exited with 137"), failed.reason());
        assertEquals(VmState.RUNNING, vm.start().state(), "it can be started again");
    }

    @Test
    void aMissingQemuFailsTheVmBeforeAnythingStarts() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> vm(Map.of("qemu", "/nonexistent/qemu-system-x86_64")).start());
        assertEquals("vm t cannot start: QEMU is missing: /nonexistent/qemu-system-x86_64 is not an executable file",
                e.getMessage());
        assertEquals(VmState.FAILED, vm.state());
        assertEquals(List.of(), qemuChildren());

        e = assertThrows(IllegalStateException.class, () -> vm(new Host(Path.of("/dev/kvm"), ""),
                Map.of("qemu", "qemu-system-nonexistent")).start());
        assertTrue(e.getMessage().endsWith("QEMU is not installed: no qemu-system-nonexistent on PATH (on Debian: "
                + "apt-get install qemu-system-x86; or set qemu to its absolute path)"), e.getMessage());
    }

    @Test
    void aMissingDiskOrKernelFailsTheVm() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> vm(Map.of("disk", tmp.resolve("gone.raw").toString())).start());
        assertEquals("vm t cannot start: disk " + tmp.resolve("gone.raw") + " does not exist", e.getMessage());
        Map<String, Object> kernel = new HashMap<>(Map.of("kernel", tmp.resolve("vmlinuz").toString()));
        kernel.put("disk", null);
        e = assertThrows(IllegalStateException.class, () -> vm(kernel).start());
        assertEquals("vm t cannot start: kernel " + tmp.resolve("vmlinuz") + " does not exist", e.getMessage());
        assertEquals(VmState.FAILED, vm.info().state());
        assertEquals(e.getMessage().substring("vm t cannot start: ".length()), vm.info().reason());
    }

    @Test
    void aShareThatCannotServeFailsTheStartAndNothingRuns() {
        shares.put("web", ShareState.FAILED, "no such directory: /srv/web", "vhost-user:/run/web.sock", false)
                .put("mnt", ShareState.RUNNING, "", "fuse:/mnt/x", true)
                .put("busy", ShareState.RUNNING, "", "vhost-user:/run/busy.sock", true);
        assertEquals("vm t cannot start: share web is not running (FAILED: no such directory: /srv/web)",
                assertThrows(IllegalStateException.class, () -> vm(Map.of("shares", "web")).start()).getMessage());
        assertEquals("vm t cannot start: share mnt is served at fuse:/mnt/x, not over vhost-user: a VM needs a share "
                + "with a socket", assertThrows(IllegalStateException.class,
                        () -> vm(Map.of("shares", "mnt")).start()).getMessage());
        assertEquals("vm t cannot start: share busy already serves a guest (a vhost-user share serves one guest at "
                + "a time)", assertThrows(IllegalStateException.class,
                        () -> vm(Map.of("shares", "busy")).start()).getMessage());
        assertEquals("vm t cannot start: share nope does not exist",
                assertThrows(IllegalStateException.class, () -> vm(Map.of("shares", "nope")).start()).getMessage());
        assertEquals(List.of(), vm.info().attached());
        assertEquals(List.of(), qemuChildren());
    }

    @Test
    void kvmAskedForWithoutKvmFailsBeforeQemuStarts() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> vm(new Host(tmp.resolve("no-kvm"), System.getenv("PATH")), Map.of("accel", "kvm")).start());
        assertEquals("vm t cannot start: accel kvm: KVM cannot be used (" + tmp.resolve("no-kvm") + " is missing); use "
                + "accel tcg or auto", e.getMessage());
        assertEquals(List.of(), qemuChildren());
    }

    @Test
    void autoWithoutKvmBootsUnderTcgAndSaysWhy() {
        VmInfo running = vm(new Host(tmp.resolve("no-kvm"), System.getenv("PATH")), Map.of("accel", "auto")).start();
        assertEquals("tcg", running.accel());
        assertEquals("KVM unavailable (" + tmp.resolve("no-kvm") + " is missing): running under TCG", running.reason());
    }

    @Test
    void autoBootsUnderTcgWhenTheGuestPrintsNothingUnderKvm() throws Exception {
        // KVM that hangs guests, as on some nested hosts: this QEMU takes -accel kvm and runs the
        // guest (under TCG, so it runs anywhere) without a byte on its console
        Path hanging = tmp.resolve("qemu-kvm-hangs");
        Files.writeString(hanging, "#!/bin/bash\nargs=()\nfor a in \"$@\"; do\n  case \"$a\" in kvm) args+=(tcg) ;;"
                + " host) args+=(qemu64) ;; *) args+=(\"$a\") ;; esac\ndone\nexec " + Qemu.binary()
                + " \"${args[@]}\"\n");
        hanging.toFile().setExecutable(true);
        Path kvm = Files.createFile(tmp.resolve("kvm"));
        VmInfo running = vm(new Host(kvm, System.getenv("PATH")), Map.of("accel", "auto", "kvm-boot-timeout", "2",
                "qemu", hanging.toString())).start();
        assertEquals("tcg", running.accel());
        assertEquals("the guest printed nothing within 2 s under KVM: running under TCG", running.reason());
        assertEquals(1, qemuChildren().size(), "the KVM attempt was ended");
    }

    @Test
    void autoFallsBackToTcgWhenKvmCannotBootTheGuest() throws Exception {
        // a KVM device that is there to try: here QEMU either cannot use KVM at all, or (where
        // /dev/kvm works or hangs) boots a disk that prints nothing, which the watchdog catches
        Path kvm = Files.createFile(tmp.resolve("kvm"));
        VmInfo running = vm(new Host(kvm, System.getenv("PATH")), Map.of("accel", "auto", "kvm-boot-timeout", "2"))
                .start();
        assertEquals("tcg", running.accel());
        assertTrue(running.reason().endsWith(": running under TCG"), running.reason());
        assertTrue(running.reason().startsWith("KVM could not start the guest") || running.reason().startsWith(
                "the guest printed nothing within 2 s under KVM"), running.reason());
        assertEquals(1, qemuChildren().size(), "the KVM attempt left nothing behind");
    }
}

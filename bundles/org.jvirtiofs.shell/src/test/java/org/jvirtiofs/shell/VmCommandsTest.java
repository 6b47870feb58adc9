package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.vm.VmState;

class VmCommandsTest {
    private static final CommandSession SESSION = Console.session(Path.of("/home/op"));
    private final FakeVmManager manager = new FakeVmManager();
    private final VmCommands commands = new VmCommands(manager);
    private final VmConsoleCommand console = new VmConsoleCommand(manager);

    @Test
    void listShowsEachVmWithItsSharesAndWhyItStopped() {
        manager.vms.put("dev", FakeVmManager.vm("dev", VmState.RUNNING, List.of("web", "src"), List.of("web", "src"), ""));
        manager.vms.put("ci", FakeVmManager.vm("ci", VmState.FAILED, List.of("x"), List.of(), "QEMU exited with 1"));
        assertEquals("""
                NAME  STATE    ACCEL  MEMORY   CPUS  SHARES   ATTACHED  PID   REASON
                ci    FAILED   tcg    512 MiB  1     x        -         -     QEMU exited with 1
                dev   RUNNING  tcg    512 MiB  1     web,src  web,src   4242
                """, Console.run(commands::list).out);
        assertEquals("no VMs\n", Console.run(new VmCommands(new FakeVmManager())::list).out);
    }

    @Test
    void createPassesEveryFlagAndStartsWhenAsked() {
        Console c = Console.run(() -> commands.create(SESSION, "vmlinuz", "initrd.gz", "console=ttyS0", "", "1G", "2",
                "tcg", "web", "", false, true, "", "dev", "--share", "src"));
        assertEquals(Map.of("kernel", "/home/op/vmlinuz", "initrd", "/home/op/initrd.gz", "append", "console=ttyS0",
                "memory", "1G", "cpus", 2, "accel", "tcg", "shares", "web,src"), manager.lastCreate);
        assertEquals("", c.err);
        assertTrue(c.out.contains("dev   RUNNING"), c.out);
    }

    @Test
    void refusalsAreOneLinePrefixedWithTheCommand() {
        manager.vms.put("dev", FakeVmManager.vm("dev", VmState.STOPPED, List.of("broken"), List.of(), ""));
        assertEquals("vm:start: vm dev cannot start: share broken is not running (FAILED: x)\n",
                Console.run(() -> commands.start("dev")).err);
        assertEquals("vm:stop: no VM named nope\n", Console.run(() -> commands.stop("nope")).err);
        assertEquals("vm:detach: share web is not attached to vm dev\n",
                Console.run(() -> commands.detach("dev", "web")).err);
        assertEquals("vm:create: missing NAME (usage: vm:create NAME --kernel K [--initrd I] | --disk D [options])\n",
                Console.run(() -> commands.create(SESSION, "", "", "", "", "", "", "", "", "", false, false, "")).err);
        assertEquals("vm:console: vm dev is not running (STOPPED)\n",
                Console.run(() -> console.console(SESSION, "5", true, false, "dev")).err);
    }

    @Test
    void attachDetachAndInfoShowTheSharesConfiguredAndPlugged() {
        manager.vms.put("dev", FakeVmManager.vm("dev", VmState.RUNNING, List.of("web"), List.of("web"), ""));
        assertTrue(Console.run(() -> commands.attach("dev", "src")).out.contains("web,src  web,src"));
        assertTrue(Console.run(() -> commands.detach("dev", "web")).out.contains("  src     src  "));
        String info = Console.run(() -> commands.info("dev")).out;
        assertTrue(info.contains("attached        src\n"), info);
        assertTrue(info.contains("console-socket  /run/c.sock\n"), info);
        assertTrue(info.contains("qemu-status     running\n"), info);
        assertEquals("removed dev\n", Console.run(() -> commands.remove("dev")).out);
    }

    @Test
    void consoleShowsTheLastLines() {
        manager.vms.put("dev", FakeVmManager.vm("dev", VmState.STOPPED, List.of(), List.of(), ""));
        manager.console.addAll(List.of("one", "two", "three"));
        assertEquals("two\nthree\n", Console.run(() -> console.console(SESSION, "2", false, false, "dev")).out);
    }
}

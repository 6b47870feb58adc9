package org.jvirtiofs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.api.vm.VmState;
import org.jvirtiofs.itests.Gogo.Printed;
import org.jvirtiofs.itests.vm.GuestImage;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The vm:* commands in the launcher's own Equinox: a VM created from the shell boots with a
 * share of the memory provider over vhost-user, writes into it, and stops through ACPI; and the
 * refusals an operator meets, each one line, with nothing started.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class VmCommandsTest {
    private static final long WAIT_MILLIS = 120_000;

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor processor;

    @Inject
    private ShareManager shares;

    @Inject
    private VmManager vms;

    @Inject
    private MetaTypeService metatype;

    @Inject
    private ConfigurationAdmin configurationAdmin;

    private Path dir;

    @Configuration
    public Option[] config() {
        return LauncherBundleSet.options();
    }

    @Before
    public void commandsAreRegistered() throws Exception {
        Gogo.awaitCommands(context, "vm", "share");
        dir = Files.createTempDirectory("jvirtiofs-vm");
    }

    @After
    public void removeEverything() {
        for (VmInfo v : vms.vms()) {
            vms.remove(v.name());
        }
        for (ShareInfo s : shares.shares()) {
            shares.remove(s.name());
        }
    }

    private Printed run(String line) throws Exception {
        return Gogo.run(processor, line);
    }

    @Test
    public void aVmCreatedFromTheShellBootsWithAMemoryShareAndStopsThroughAcpi() throws Exception {
        GuestImage image = GuestImage.withScript("powerbutton.sh");
        Path socket = dir.resolve("mem.sock");
        assertEquals("", run("share:add mem - --provider memory --socket " + socket).err());
        Printed created = run("vm:create pax --kernel " + image.kernel() + " --initrd " + image.initrd()
                + " --append 'console=ttyS0 quiet panic=-1 iomem=relaxed jvfs.automount=1' --memory 256M --cpus 2"
                + " --accel tcg --share mem -o extra-args=-no-reboot --start");
        assertEquals("", created.err());
        assertTrue(created.out(), Pattern.compile("pax +RUNNING +tcg +256 MiB +2 +mem +mem +\\d+").matcher(created.out())
                .find());

        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!run("vm:console pax --lines 5").out().contains("VMTEST: written")) {
            assertTrue("the guest did not write into the share:\n" + run("vm:console pax --lines 40").out(),
                    System.currentTimeMillis() < deadline);
            Thread.sleep(500);
        }
        assertTrue("the guest has the CPUs asked for", run("vm:console pax --lines 5").out()
                .contains("VMTEST: written; cpus 2"));
        assertTrue(run("share:stats mem").out().matches("(?s).*\nWRITE +1\n.*"));
        assertTrue(run("vm:console pax --lines 100").out().contains("JVFS-AUTOMOUNT: mem /mnt/mem"));
        Printed info = run("vm:info pax");
        assertTrue(info.out(), info.out().contains("attached        mem\n"));
        assertTrue(info.out(), info.out().contains("qemu-status     running\n"));
        assertTrue(info.out(), info.out().contains("boot            kernel " + image.kernel() + "\n"));

        // --attach: a line typed goes to the guest (its tty echoes it), '~.' leaves the VM running
        java.io.PipedOutputStream keys = new java.io.PipedOutputStream();
        java.io.PipedInputStream keyboard = new java.io.PipedInputStream(keys);
        java.util.concurrent.CompletableFuture<Printed> attached = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runQuietly("vm:console pax --attach --lines 0", keyboard));
        Thread.sleep(2_000);
        keys.write("hello-through-attach\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        keys.flush();
        Thread.sleep(3_000);
        keys.write("~.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        keys.flush();
        Printed attach = attached.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(attach.out(), attach.out().contains("hello-through-attach"));
        assertTrue(attach.out(), attach.out().contains("[vm:console: detached; vm pax keeps running]"));
        assertEquals(VmState.RUNNING, vms.vm("pax").orElseThrow().state());

        // --follow prints what the guest prints until it stops
        java.util.concurrent.CompletableFuture<Printed> followed = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> runQuietly("vm:console pax --follow --lines 0", new java.io.ByteArrayInputStream(new byte[0])));
        Thread.sleep(2_000);
        Printed stopped = run("vm:stop pax");
        assertEquals("", stopped.err());
        assertTrue(stopped.out(), stopped.out().matches("(?s).*\npax +STOPPED +tcg +256 MiB +2 +mem +- +- +stopped: "
                + "the guest powered off\n"));
        Printed follow = followed.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(follow.out(), follow.out().contains("JVFS-ACPI: power button"));
        assertTrue(follow.out(), follow.out().endsWith("[vm:console: vm pax stopped]\n"));
        assertTrue(run("vm:console pax --lines 10").out().contains("JVFS-ACPI: power button"));
        assertEquals("removed pax\n", run("vm:remove pax").out());
        assertEquals("no VMs\n", run("vm:list").out());
    }

    @Test
    public void refusalsAreOneLineAndStartNothing() throws Exception {
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "not really a kernel");
        assertError("vm:create: no such file: " + dir.resolve("gone"), run("vm:create v --kernel " + dir.resolve("gone")));
        assertError("vm:create: vm v: set exactly one of 'kernel' (boot a Linux kernel) or 'disk' (boot a disk image)",
                run("vm:create v"));
        assertTrue(run("vm:create v --kernel " + kernel + " -o memroy=1G").err()
                .startsWith("vm:create: vm v: unknown key 'memroy' (known: "));
        assertEquals("no VMs\n", run("vm:list").out());

        assertEquals("", run("vm:create v --kernel " + kernel + " --share nosuch --accel tcg").err());
        assertError("vm:start: vm v cannot start: share nosuch does not exist", run("vm:start v"));
        assertTrue(run("vm:list").out().matches("(?s).*\nv +FAILED .* share nosuch does not exist\n"));

        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        assertEquals("", run("share:add m - --provider memory --mountpoint " + mnt).err());
        assertError("vm:attach: no share named other", run("vm:attach v other"));
        assertError("vm:attach: share m is served at fuse:" + mnt + ", not over vhost-user: a VM needs a share with "
                + "a socket", run("vm:attach v m"));
        assertEquals("", run("vm:detach v nosuch").err());
        assertTrue(run("vm:info v").out().contains("shares          -\n"));
        assertEquals("", run("vm:create w --kernel " + kernel + " --share m").err());
        assertError("vm:start: vm w cannot start: share m is served at fuse:" + mnt
                + ", not over vhost-user: a VM needs a share with a socket", run("vm:start w"));

        assertEquals("", run("vm:create q --kernel " + kernel + " -o qemu=/nonexistent/qemu").err());
        assertError("vm:start: vm q cannot start: QEMU is missing: /nonexistent/qemu is not an executable file",
                run("vm:start q"));
        assertError("vm:console: vm q is not running (FAILED)", run("vm:console q --follow"));
        assertError("vm:info: no VM named nope", run("vm:info nope"));
        assertTrue(ProcessHandle.current().children().noneMatch(p -> p.info().command().orElse("").contains("qemu")));
    }

    @Test
    public void aVmCreatedWhereAPlainConfigurationWasLeftIsListed() throws Exception {
        // what FileInstall 3.7.4 leaves when an update event reaches it after the VM's
        // configuration was deleted (FELIX-6812): the next VM of that name was never seen
        String pid = VmManager.FACTORY_PID + "~left";
        assertEquals(null, configurationAdmin.getConfiguration(pid, "?").getFactoryPid());
        Path kernel = Files.writeString(dir.resolve("vmlinuz"), "not really a kernel");
        assertEquals("", run("vm:create left --kernel " + kernel).err());
        assertTrue(run("vm:list").out().matches("(?s).*\nleft +STOPPED .*"));
        assertEquals(VmManager.FACTORY_PID, configurationAdmin.getConfiguration(pid, "?").getFactoryPid());
    }

    @Test
    public void theVmConfigurationIsDescribedByMetatype() {
        Bundle launcher = List.of(context.getBundles()).stream()
                .filter(b -> "org.jvirtiofs.vm.qemu".equals(b.getSymbolicName())).findFirst().orElseThrow();
        ObjectClassDefinition ocd = metatype.getMetaTypeInformation(launcher)
                .getObjectClassDefinition(VmManager.FACTORY_PID, null);
        List<String> ids = List.of(ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)).stream()
                .map(a -> a.getID()).toList();
        assertTrue(ids.toString(), ids.containsAll(List.of("kernel", "initrd", "append", "disk", "memory", "cpus",
                "accel", "shares", "console", "console-socket", "extra-args", "autostart", "machine", "stop-timeout")));
    }

    private Printed runQuietly(String line, java.io.InputStream keyboard) {
        try {
            return Gogo.run(processor, line, keyboard);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertError(String line, Printed p) {
        assertEquals("stdout of a failed command", "", p.out());
        assertEquals(line + "\n", p.err());
    }
}

package org.jvirtiofs.shell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.api.vm.VmState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vm:list}, {@code vm:info}, {@code vm:create}, {@code vm:remove}, {@code vm:start},
 * {@code vm:stop}, {@code vm:attach}, {@code vm:detach}.
 */
@Component(service = VmCommands.class, property = {
    "osgi.command.scope=vm",
    "osgi.command.function=list",
    "osgi.command.function=info",
    "osgi.command.function=create",
    "osgi.command.function=remove",
    "osgi.command.function=start",
    "osgi.command.function=stop",
    "osgi.command.function=attach",
    "osgi.command.function=detach"})
public final class VmCommands {
    private final VmManager manager;

    /** Commands on the VM launcher. */
    @Activate
    public VmCommands(@Reference(name = "manager") VmManager manager) {
        this.manager = manager;
    }

    /** vm:list */
    @Descriptor("lists the VMs: state, accelerator, memory, CPUs, the shares configured and attached, QEMU's pid, "
            + "and why a VM stopped or failed")
    public void list() {
        CommandErrors.run("vm:list", System.err, () -> {
            List<VmInfo> vms = manager.vms();
            System.out.print(vms.isEmpty() ? "no VMs\n" : table(vms));
        });
    }

    /** vm:info */
    @Descriptor("shows every field of a VM")
    public void info(@Descriptor("the VM's name") String name) {
        CommandErrors.run("vm:info", System.err, () -> {
            VmInfo v = manager.vm(name).orElseThrow(() -> new IllegalArgumentException("no VM named " + name));
            System.out.print(new Table()
                    .row("name", v.name())
                    .row("state", v.state())
                    .row("qemu-status", v.qemuStatus().isEmpty() ? "-" : v.qemuStatus())
                    .row("reason", v.reason().isEmpty() ? "-" : v.reason())
                    .row("boot", v.boot())
                    .row("accel", v.accel())
                    .row("memory", v.memoryMiB() + " MiB")
                    .row("cpus", v.cpus())
                    .row("shares", list(v.shares()))
                    .row("attached", list(v.attached()))
                    .row("pid", v.pid() < 0 ? "-" : v.pid())
                    .row("console", v.console())
                    .row("console-socket", v.consoleSocket().isEmpty() ? "-" : v.consoleSocket())
                    .render());
        });
    }

    /** vm:create */
    @Descriptor("creates a VM: QEMU booting a Linux --kernel (with --initrd, --append) or a --disk image, with "
            + "shares attached as vhost-user-fs devices (mount -t virtiofs SHARE in the guest); the configuration "
            + "persists")
    public void create(CommandSession session,
            @Descriptor("a Linux kernel to boot") @Parameter(names = {"-k", "--kernel"}, absentValue = "") String kernel,
            @Descriptor("its initramfs") @Parameter(names = {"-i", "--initrd"}, absentValue = "") String initrd,
            @Descriptor("the kernel command line (quote it)") @Parameter(names = {"-a", "--append"}, absentValue = "")
            String append,
            @Descriptor("a disk image to boot instead (raw, or qcow2 by extension)")
            @Parameter(names = {"-d", "--disk"}, absentValue = "") String disk,
            @Descriptor("guest memory, e.g. 512M or 2G (default 512M)")
            @Parameter(names = {"-m", "--memory"}, absentValue = "") String memory,
            @Descriptor("virtual CPUs (default 1)") @Parameter(names = {"-c", "--cpus"}, absentValue = "") String cpus,
            @Descriptor("kvm, tcg or auto (default auto: KVM, or TCG when KVM cannot boot the guest)")
            @Parameter(names = {"--accel"}, absentValue = "") String accel,
            @Descriptor("a share to attach at boot; repeat --share for more")
            @Parameter(names = {"-s", "--share"}, absentValue = "") String share,
            @Descriptor("the file to write the serial console to (default: in the platform's data area)")
            @Parameter(names = {"--console"}, absentValue = "") String console,
            @Descriptor("boot it whenever the platform starts")
            @Parameter(names = {"--autostart"}, presentValue = "true", absentValue = "false") boolean autostart,
            @Descriptor("boot it now") @Parameter(names = {"--start"}, presentValue = "true", absentValue = "false")
            boolean start,
            @Descriptor("another configuration key=value (machine, qemu, extra-args, stop-timeout, ...); repeat -o")
            @Parameter(names = {"-o", "--option"}, absentValue = "") String option,
            @Descriptor("NAME, the VM's name") String... words) {
        CommandErrors.run("vm:create", System.err, () -> {
            VmArguments args = VmArguments.parse(share, option, Arrays.asList(words));
            Path cwd = session.currentDir() != null ? session.currentDir() : Path.of("").toAbsolutePath();
            VmInfo created = manager.create(args.name(), args.configuration(
                    new VmArguments.CreateFlags(kernel, initrd, append, disk, memory, cpus, accel, console, autostart),
                    cwd));
            if (start && created.state() != VmState.RUNNING && created.state() != VmState.STARTING) {
                created = manager.start(created.name());
            }
            System.out.print(table(List.of(created)));
        });
    }

    /** vm:remove */
    @Descriptor("removes a VM: stops it if it runs, and deletes its configuration")
    public void remove(@Descriptor("the VM's name") String name) {
        CommandErrors.run("vm:remove", System.err, () -> {
            manager.remove(name);
            System.out.println("removed " + name);
        });
    }

    /** vm:start */
    @Descriptor("boots a VM and returns once QEMU runs the guest; a missing QEMU, kernel or disk, or a share that "
            + "is not running, fails it before anything starts")
    public void start(@Descriptor("the VM's name") String name) {
        CommandErrors.run("vm:start", System.err, () -> System.out.print(table(List.of(manager.start(name)))));
    }

    /** vm:stop */
    @Descriptor("stops a VM: an ACPI power-down, then QEMU's quit if the guest does not power off in time "
            + "(stop-timeout, default 30 s)")
    public void stop(@Descriptor("the VM's name") String name) {
        CommandErrors.run("vm:stop", System.err, () -> System.out.print(table(List.of(manager.stop(name)))));
    }

    /** vm:attach */
    @Descriptor("hot-plugs a running share into a running VM (its tag is the share's name), and keeps it in the "
            + "VM's configuration; on a stopped VM, adds it for the next boot")
    public void attach(@Descriptor("the VM's name") String vm, @Descriptor("the share's name") String share) {
        CommandErrors.run("vm:attach", System.err, () -> System.out.print(table(List.of(manager.attach(vm, share)))));
    }

    /** vm:detach */
    @Descriptor("unplugs a share from a running VM, once the guest releases it, and drops it from the VM's "
            + "configuration")
    public void detach(@Descriptor("the VM's name") String vm, @Descriptor("the share's name") String share) {
        CommandErrors.run("vm:detach", System.err, () -> System.out.print(table(List.of(manager.detach(vm, share)))));
    }

    /** The VMs as vm:list prints them. */
    static String table(List<VmInfo> vms) {
        Table t = new Table("NAME", "STATE", "ACCEL", "MEMORY", "CPUS", "SHARES", "ATTACHED", "PID", "REASON");
        for (VmInfo v : vms) {
            t.row(v.name(), v.state(), v.accel(), v.memoryMiB() + " MiB", v.cpus(), list(v.shares()), list(v.attached()),
                    v.pid() < 0 ? "-" : v.pid(), v.reason());
        }
        return t.render();
    }

    private static String list(List<String> names) {
        return names.isEmpty() ? "-" : String.join(",", names);
    }
}

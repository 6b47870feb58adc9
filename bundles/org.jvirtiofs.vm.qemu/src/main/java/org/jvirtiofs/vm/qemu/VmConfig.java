package org.jvirtiofs.vm.qemu;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** A VM's configuration as Config Admin and metatype tools see it; {@link VmSettings} reads it. */
@ObjectClassDefinition(name = "jvirtiofs VM", description = "A QEMU guest booted by the platform, with shares "
        + "attached as vhost-user-fs devices (mount -t virtiofs SHARE in the guest).")
@interface VmConfig {
    @AttributeDefinition(description = "The VM's name; default: the configuration's name")
    String name();

    @AttributeDefinition(description = "A Linux kernel to boot directly (absolute path); or set disk", required = false)
    String kernel();

    @AttributeDefinition(description = "The initramfs for the kernel", required = false)
    String initrd();

    @AttributeDefinition(description = "The kernel command line, e.g. console=ttyS0", required = false)
    String append();

    @AttributeDefinition(description = "A disk image to boot instead of a kernel: raw, or qcow2 by its extension",
            required = false)
    String disk();

    @AttributeDefinition(description = "Guest memory: 512M, 2G, or MiB as a number", required = false)
    String memory() default "512M";

    @AttributeDefinition(description = "Virtual CPUs", required = false)
    int cpus() default 1;

    @AttributeDefinition(description = "kvm, tcg, or auto: KVM, and TCG when KVM is missing or cannot boot the guest",
            required = false)
    String accel() default "auto";

    @AttributeDefinition(description = "The shares to attach at boot, comma-separated; each must be running over "
            + "vhost-user (a socket)", required = false)
    String shares();

    @AttributeDefinition(description = "The file the serial console is written to (default: in the platform's "
            + "data area); the previous boot's is kept as FILE.1", required = false)
    String console();

    @AttributeDefinition(description = "The Unix socket the console is served on while the VM runs (default: in "
            + "its run folder; vm:info shows it)", required = false)
    String console$_$socket();

    @AttributeDefinition(description = "More QEMU arguments, whitespace-separated", required = false)
    String extra$_$args();

    @AttributeDefinition(description = "Boot as soon as the configuration arrives, and whenever the platform starts",
            required = false)
    boolean autostart() default false;

    @AttributeDefinition(description = "The QEMU binary: a command on PATH or an absolute path", required = false)
    String qemu() default VmSettings.DEFAULT_QEMU;

    @AttributeDefinition(description = "The QEMU machine type: pc (ACPI hot-plug on the root bus) or q35 "
            + "(spare PCIe root ports for hot-plug)", required = false)
    String machine() default "pc";

    @AttributeDefinition(description = "q35: spare PCIe root ports for shares attached while it runs",
            required = false)
    int hotplug$_$slots() default 4;

    @AttributeDefinition(description = "Seconds a stop waits for the guest to power off before quitting QEMU",
            required = false)
    int stop$_$timeout() default 30;

    @AttributeDefinition(description = "With accel auto: seconds KVM may take to print the first console byte "
            + "before the guest is booted under TCG instead (0: no check)", required = false)
    int kvm$_$boot$_$timeout() default 20;
}

package org.jvirtiofs.api.vm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The VMs the platform runs. VMs are Config Admin factory configurations of {@link #FACTORY_PID};
 * {@link #create} and {@link #remove} edit those configurations (so a VM created here persists
 * like one from a file). A configuration with {@link #AUTOSTART} boots as soon as it arrives.
 * Errors are {@link IllegalArgumentException}s (a bad request) or {@link IllegalStateException}s
 * (the VM or a share is not in a state that allows it), with one-line messages an operator can
 * act on.
 */
@ProviderType
public interface VmManager {
    /** The factory PID of VM configurations; a file {@code etc/org.jvirtiofs.vm-NAME.cfg} makes one. */
    String FACTORY_PID = "org.jvirtiofs.vm";

    /** Configuration key: the VM's name (default: the configuration's name). */
    String NAME = "name";
    /** Configuration key: the Linux kernel to boot directly (with {@link #INITRD} and {@link #APPEND}). */
    String KERNEL = "kernel";
    /** Configuration key: the initramfs for {@link #KERNEL}. */
    String INITRD = "initrd";
    /** Configuration key: the kernel command line. */
    String APPEND = "append";
    /** Configuration key: a disk image to boot instead of a kernel (raw, or qcow2 by its extension). */
    String DISK = "disk";
    /** Configuration key: guest memory, "512M", "2G" or MiB as a number (default 512M). */
    String MEMORY = "memory";
    /** Configuration key: virtual CPUs (default 1). */
    String CPUS = "cpus";
    /** Configuration key: "kvm", "tcg" or "auto" (default: KVM, falling back to TCG when it cannot boot). */
    String ACCEL = "accel";
    /** Configuration key: the shares to attach at boot, by name (a list, or comma-separated). */
    String SHARES = "shares";
    /** Configuration key: the file the serial console is written to. */
    String CONSOLE = "console";
    /** Configuration key: the Unix socket the console is served on (default: in the VM's run folder). */
    String CONSOLE_SOCKET = "console-socket";
    /** Configuration key: more QEMU arguments, whitespace-separated (a list keeps spaces inside items). */
    String EXTRA_ARGS = "extra-args";
    /** Configuration key: boot when the configuration arrives, and when the platform starts (default false). */
    String AUTOSTART = "autostart";

    /** Every configured VM, by name. */
    List<VmInfo> vms();

    /** The VM named {@code name}, if configured. */
    Optional<VmInfo> vm(String name);

    /**
     * Creates a VM by storing its configuration.
     *
     * @throws IllegalArgumentException if the name is taken or the configuration is malformed
     */
    VmInfo create(String name, Map<String, ?> properties);

    /** Stops the VM if it runs, then deletes its configuration. @throws IllegalArgumentException if unknown */
    void remove(String name);

    /**
     * Boots the VM and waits until QEMU runs the guest (or refuses). Nothing is left half-started:
     * a missing QEMU, kernel or disk, or a share that is not running, fails it before QEMU starts.
     *
     * @throws IllegalArgumentException if unknown
     * @throws IllegalStateException if it is already running, or cannot start (the reason is also kept in its state)
     */
    VmInfo start(String name);

    /**
     * Stops the VM: an ACPI power-down, then QEMU's quit if the guest has not powered off in time.
     *
     * @throws IllegalArgumentException if unknown
     */
    VmInfo stop(String name);

    /**
     * Hot-plugs a running share into the running VM (a vhost-user-fs device with the share's name
     * as its tag) and adds it to the VM's configuration; a VM that is not running only gets it in
     * its configuration, for its next boot.
     *
     * @throws IllegalArgumentException if the VM or share is unknown
     * @throws IllegalStateException if the share is attached already, is not running over vhost-user or serves
     *     another guest, or QEMU refuses the device
     */
    VmInfo attach(String vm, String share);

    /**
     * Unplugs a share from the running VM (waiting for the guest to release the device) and removes
     * it from the VM's configuration (only the latter when the VM is not running).
     *
     * @throws IllegalArgumentException if the VM is unknown or the share is not attached
     * @throws IllegalStateException if the guest does not release the device in time
     */
    VmInfo detach(String vm, String share);

    /** The last {@code lines} lines of the VM's serial console (of its last boot). @throws IllegalArgumentException if unknown */
    List<String> console(String name, int lines);

    /**
     * Follows the running VM's serial console: {@code output} receives every byte the guest prints
     * from now on, until the returned handle is closed or the VM stops.
     *
     * @throws IllegalArgumentException if unknown
     * @throws IllegalStateException if not running
     */
    ConsoleSession openConsole(String name, Consumer<byte[]> output);

    /** An open console of a running VM: input to the guest's serial port, and the end of the output. */
    @ProviderType
    interface ConsoleSession extends AutoCloseable {
        /** Types {@code input} on the guest's serial console. @throws IllegalStateException if the VM stopped */
        void write(byte[] input);

        /** Waits up to {@code millis} for the VM to stop; true if it did. */
        boolean awaitStop(long millis) throws InterruptedException;

        /** Stops following; the VM keeps running. */
        @Override
        void close();
    }
}

package org.jvirtiofs.vm.qemu;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.config.ConfigValues;
import org.jvirtiofs.config.FactoryConfigurations;

/**
 * A VM's configuration, checked. Config Admin gives typed values (Integer, Boolean, String[]);
 * files give strings. Paths must be absolute: a configuration has no current directory.
 *
 * @param name the VM's name
 * @param kernel the kernel to boot, or null when booting {@code disk}
 * @param initrd the initramfs, or null
 * @param append the kernel command line, or ""
 * @param disk the disk image to boot, or null when booting {@code kernel}
 * @param memoryMiB guest memory
 * @param cpus virtual CPUs
 * @param accel the accelerator asked for
 * @param shares the shares attached at boot, in order, no repeats
 * @param console the serial console's file, or null for the launcher's default
 * @param consoleSocket the Unix socket serving the console, or null for one in the run folder
 * @param extraArgs more QEMU arguments, appended as given
 * @param autostart whether the VM boots as soon as its configuration arrives
 * @param qemu the QEMU binary: a name looked up on PATH, or an absolute path
 * @param machine the QEMU machine type ("pc", "q35", ...)
 * @param hotplugSlots spare PCIe root ports for hot-plug on q35-like machines
 * @param stopSeconds how long a stop waits for the guest to power off before quitting QEMU
 * @param kvmBootSeconds with accel auto: how long KVM may take to print the first console byte
 *     before the guest is booted under TCG instead (0: no watchdog)
 */
record VmSettings(String name, Path kernel, Path initrd, String append, Path disk, long memoryMiB, int cpus,
        Accel accel, List<String> shares, Path console, Path consoleSocket, List<String> extraArgs, boolean autostart,
        String qemu, String machine, int hotplugSlots, int stopSeconds, int kvmBootSeconds) {

    static final String QEMU = "qemu";
    static final String MACHINE = "machine";
    static final String HOTPLUG_SLOTS = "hotplug-slots";
    static final String STOP_TIMEOUT = "stop-timeout";
    static final String KVM_BOOT_TIMEOUT = "kvm-boot-timeout";
    static final String DEFAULT_QEMU = "qemu-system-x86_64";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern SHARE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,35}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern MACHINE_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    /** Keys this launcher reads; anything else in a configuration is refused, so a typo is not ignored. */
    private static final Set<String> KEYS = Set.of(VmManager.NAME, VmManager.KERNEL, VmManager.INITRD,
            VmManager.APPEND, VmManager.DISK, VmManager.MEMORY, VmManager.CPUS, VmManager.ACCEL, VmManager.SHARES,
            VmManager.CONSOLE, VmManager.CONSOLE_SOCKET, VmManager.EXTRA_ARGS, VmManager.AUTOSTART, QEMU, MACHINE,
            HOTPLUG_SLOTS, STOP_TIMEOUT, KVM_BOOT_TIMEOUT);

    /** The accelerator a configuration asks for. */
    enum Accel {
        /** Hardware virtualization; fails when /dev/kvm cannot be used. */
        KVM,
        /** QEMU's software emulation: slower, works anywhere. */
        TCG,
        /** KVM when it boots the guest, else TCG. */
        AUTO;

        /** The name QEMU's -accel takes, and the configuration's word. */
        String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    VmSettings {
        shares = List.copyOf(shares);
        extraArgs = List.copyOf(extraArgs);
    }

    /**
     * Reads a configuration; {@code fallbackName} (the configuration's own name) is used when it
     * has no name key.
     *
     * @throws IllegalArgumentException with one line naming the key and the problem
     */
    static VmSettings parse(Map<String, ?> config, String fallbackName) {
        ConfigValues values = new ConfigValues(config);
        String name = values.string(VmManager.NAME, fallbackName);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a VM name "
                    + "(1-64 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        for (String key : config.keySet()) {
            if (!KEYS.contains(key) && !FactoryConfigurations.FRAMEWORK_KEYS.contains(key)) {
                throw new IllegalArgumentException("vm " + name + ": unknown key '" + key + "' (known: "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
        }
        Path kernel = path(values, VmManager.KERNEL);
        Path disk = path(values, VmManager.DISK);
        if ((kernel == null) == (disk == null)) {
            throw new IllegalArgumentException("vm " + name + ": set exactly one of '" + VmManager.KERNEL
                    + "' (boot a Linux kernel) or '" + VmManager.DISK + "' (boot a disk image)");
        }
        Path initrd = path(values, VmManager.INITRD);
        String append = values.string(VmManager.APPEND, "");
        if (kernel == null && (initrd != null || !append.isEmpty())) {
            throw new IllegalArgumentException("vm " + name + ": '" + VmManager.INITRD + "' and '"
                    + VmManager.APPEND + "' go with '" + VmManager.KERNEL + "', not with '" + VmManager.DISK + "'");
        }
        String machine = values.string(MACHINE, "pc");
        if (!MACHINE_TYPE.matcher(machine).matches()) {
            throw new IllegalArgumentException(MACHINE + ": '" + machine + "' is not a QEMU machine type");
        }
        String qemu = values.string(QEMU, DEFAULT_QEMU);
        if (qemu.contains("/") && !qemu.startsWith("/")) {
            throw new IllegalArgumentException(QEMU + ": '" + qemu + "' is neither a command name nor an absolute path");
        }
        return new VmSettings(name, kernel, initrd, append, disk, memory(config), values.integer(VmManager.CPUS, 1, 1, 255),
                accel(values), shares(values), path(values, VmManager.CONSOLE), path(values, VmManager.CONSOLE_SOCKET),
                words(config.get(VmManager.EXTRA_ARGS)), values.bool(VmManager.AUTOSTART, false), qemu, machine,
                values.integer(HOTPLUG_SLOTS, 4, 0, 30), values.integer(STOP_TIMEOUT, 30, 1, 3600),
                values.integer(KVM_BOOT_TIMEOUT, 20, 0, 3600));
    }

    /** Whether the machine type puts devices on PCI Express (root ports needed for hot-plug). */
    boolean pciExpress() {
        return machine.startsWith("q35") || machine.startsWith("pc-q35");
    }

    /** What it boots, as listings show it. */
    String boot() {
        return kernel != null ? "kernel " + kernel : disk != null ? "disk " + disk : "-";
    }

    /** The files a boot reads: kernel and initrd, or the disk. */
    List<Path> bootFiles() {
        return java.util.stream.Stream.of(kernel, initrd, disk).filter(java.util.Objects::nonNull).toList();
    }

    /** These settings with another list of shares. */
    VmSettings withShares(List<String> next) {
        return new VmSettings(name, kernel, initrd, append, disk, memoryMiB, cpus, accel, next, console, consoleSocket,
                extraArgs,
                autostart, qemu, machine, hotplugSlots, stopSeconds, kvmBootSeconds);
    }

    /** Whether only the shares differ from {@code other}: a running VM can take that live. */
    boolean sameMachine(VmSettings other) {
        return withShares(other.shares).equals(other);
    }

    /** A share list as a configuration stores it: comma-separated (FileInstall's .cfg files keep strings). */
    static String sharesValue(List<String> shares) {
        return String.join(",", shares);
    }

    private static long memory(Map<String, ?> config) {
        Object v = config.get(VmManager.MEMORY);
        if (v == null || v.toString().isBlank()) {
            return 512;
        }
        Matcher m = SIZE.matcher(v.toString().trim());
        long mib = -1;
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                mib = switch (m.group(2).toUpperCase(Locale.ROOT)) {
                    case "K" -> n % 1024 == 0 ? n / 1024 : -1;
                    case "G" -> n * 1024;
                    case "T" -> n * 1024 * 1024;
                    default -> n; // a bare number, or M: MiB, as QEMU's -m reads it
                };
            } catch (NumberFormatException | ArithmeticException e) {
                mib = -1;
            }
        }
        if (mib < 16 || mib > 16L * 1024 * 1024) {
            throw new IllegalArgumentException(VmManager.MEMORY + ": '" + v + "' is not a memory size from 16M to 16T "
                    + "(e.g. 512M, 2G, or MiB as a number)");
        }
        return mib;
    }

    private static Accel accel(ConfigValues values) {
        String a = values.string(VmManager.ACCEL, "auto");
        try {
            return Accel.valueOf(a.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VmManager.ACCEL + ": '" + a + "' is not kvm, tcg or auto");
        }
    }

    private static List<String> shares(ConfigValues values) {
        Set<String> names = new LinkedHashSet<>();
        for (String s : values.list(VmManager.SHARES)) {
            if (!SHARE.matcher(s).matches()) {
                throw new IllegalArgumentException(VmManager.SHARES + ": '" + s + "' is not a share name");
            }
            if (!names.add(s)) {
                throw new IllegalArgumentException(VmManager.SHARES + ": '" + s + "' is listed twice");
            }
        }
        return List.copyOf(names);
    }

    /** QEMU arguments: a list keeps each item whole; a string is split at whitespace. */
    private static List<String> words(Object v) {
        if (v == null) {
            return List.of();
        }
        if (v instanceof Object[] a) {
            return List.of(a).stream().map(Object::toString).toList();
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(Object::toString).toList();
        }
        String s = v.toString().trim();
        return s.isEmpty() ? List.of() : List.of(s.split("\\s+"));
    }

    private static Path path(ConfigValues values, String key) {
        String s = values.absolutePath(key);
        return s == null ? null : Path.of(s).normalize();
    }
}

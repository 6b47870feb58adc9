package org.jvirtiofs.vm.qemu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the host offers a VM: the QEMU binary, and whether KVM can be used. */
final class Host {
    /** Where QEMU lives when the platform runs with a narrow PATH (systemd units, IDEs). */
    private static final List<String> USUAL_DIRS = List.of("/usr/local/bin", "/usr/bin", "/bin");

    private final Path kvmDevice;
    private final String path;

    /** The real host: /dev/kvm and the process's PATH. */
    Host() {
        this(Path.of("/dev/kvm"), System.getenv("PATH"));
    }

    /** A host whose KVM device and PATH are as given (tests). */
    Host(Path kvmDevice, String path) {
        this.kvmDevice = kvmDevice;
        this.path = path == null ? "" : path;
    }

    /**
     * The QEMU binary {@code qemu} names: an absolute path, or a command looked up on PATH.
     *
     * @throws IllegalStateException saying what is missing and how to get it
     */
    Path qemu(String qemu) {
        if (qemu.startsWith("/")) {
            Path p = Path.of(qemu);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new IllegalStateException("QEMU is missing: " + qemu + " is not an executable file");
            }
            return p;
        }
        List<String> dirs = new ArrayList<>(List.of(path.split(File.pathSeparator)));
        dirs.addAll(USUAL_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, qemu);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new IllegalStateException("QEMU is not installed: no " + qemu + " on PATH (on Debian: apt-get install "
                + "qemu-system-x86; or set qemu to its absolute path)");
    }

    /** Why KVM cannot be used here, or null if /dev/kvm is there to try. */
    String kvmUnavailable() {
        if (!Files.exists(kvmDevice)) {
            return kvmDevice + " is missing";
        }
        if (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice)) {
            return kvmDevice + " is not readable and writable by this user";
        }
        return null;
    }
}

package org.jvirtiofs.vm.qemu;

import java.nio.file.Files;
import java.nio.file.Path;

/** The QEMU the tests run: Debian's qemu-system-x86, which bin/setup-host installs. */
final class Qemu {
    private static final Path BINARY = Path.of("/usr/bin/qemu-system-x86_64");

    private Qemu() {
    }

    /**
     * Starts a QEMU without a guest (machine none) whose QMP listens on {@code dir}/qmp.sock; the
     * caller ends it.
     */
    static Process withQmpOnly(Path dir) throws java.io.IOException {
        return new ProcessBuilder(binary().toString(), "-machine", "none", "-nodefaults", "-display", "none",
                "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off").redirectErrorStream(true)
                .redirectOutput(dir.resolve("qemu.log").toFile()).start();
    }

    /** The binary; fails (never skips) when it is not installed. */
    static Path binary() {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: run bin/setup-host");
        }
        return BINARY;
    }
}

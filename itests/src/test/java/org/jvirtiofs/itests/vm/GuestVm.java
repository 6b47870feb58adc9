package org.jvirtiofs.itests.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Boots a test guest under QEMU (TCG: KVM hangs guests on these machines) with one
 * vhost-user-fs device on a socket, waits for it to power off, and reads the verdict the guest's
 * /init printed on the serial console.
 */
public final class GuestVm {
    private static final String QEMU = "/usr/bin/qemu-system-x86_64";

    private final GuestImage image;
    private final Path socket;
    private final String tag;
    private final Path console;
    private Supplier<String> daemonLog = () -> "";
    private int memoryMiB = 512;
    private long timeoutSeconds = 240;

    /** A guest that mounts {@code tag} from the vhost-user socket at {@code socket}. */
    public GuestVm(GuestImage image, Path socket, String tag, Path console) {
        this.image = image;
        this.socket = socket;
        this.tag = tag;
        this.console = console;
    }

    /** What to show of the daemon when the guest fails. */
    public GuestVm daemonLog(Supplier<String> log) {
        this.daemonLog = log;
        return this;
    }

    /** Boots, waits for power-off and returns the console; fails with the console on any trouble. */
    public Console run() throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(QEMU))) {
            throw new AssertionError(QEMU + " is missing: run bin/setup-host");
        }
        Files.deleteIfExists(console);
        Path qemuLog = console.resolveSibling(console.getFileName() + ".qemu");
        Process qemu = new ProcessBuilder(command()).redirectErrorStream(true)
                .redirectOutput(qemuLog.toFile()).start();
        qemu.getOutputStream().close();
        boolean ended = qemu.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Console out = new Console(Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "");
        if (!ended) {
            throw failure("the guest did not power off within " + timeoutSeconds + " s", out, qemuLog);
        }
        if (qemu.exitValue() != 0) {
            throw failure("QEMU exited with " + qemu.exitValue(), out, qemuLog);
        }
        if (!out.result().startsWith("PASS")) {
            throw failure("the guest reported " + out.result(), out, qemuLog);
        }
        return out;
    }

    private List<String> command() {
        List<String> c = new ArrayList<>(List.of(QEMU, "-accel", "tcg", "-m", memoryMiB + "M",
                "-object", "memory-backend-memfd,id=mem,size=" + memoryMiB + "M,share=on",
                "-numa", "node,memdev=mem",
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString(),
                "-append", "console=ttyS0 quiet panic=-1 jvfs.tag=" + tag,
                "-chardev", "socket,id=fs0,path=" + socket,
                "-device", "vhost-user-fs-pci,chardev=fs0,tag=" + tag,
                // no default devices: no VGA, no NIC whose boot ROM costs half a second
                "-nodefaults", "-display", "none", "-no-reboot", "-serial", "file:" + console));
        return c;
    }

    private AssertionError failure(String what, Console out, Path qemuLog) throws IOException {
        String qemu = Files.exists(qemuLog) ? Files.readString(qemuLog) : "";
        return new AssertionError(what + "\n--- guest console (tail) ---\n" + tail(out.text(), 60)
                + "\n--- qemu ---\n" + tail(qemu, 20) + "\n--- daemon (tail) ---\n" + tail(daemonLog.get(), 40));
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n");
        return String.join("\n", List.of(all).subList(Math.max(0, all.length - lines), all.length));
    }

    /** What the guest printed on its serial console. */
    public record Console(String text) {
        /** The verdict of the guest's /init: "PASS" or "FAIL why" (or "" if it never said). */
        public String result() {
            return lastValue("JVFS-RESULT: ");
        }

        /** Every check of launcher/guest/fsbattery.c. */
        public static final int BATTERY_CHECKS = 17;

        /** Fails unless the battery ran every check and all passed. */
        public void assertBatteryPassed(String what) {
            if (!battery().equals(BATTERY_CHECKS + " passed, 0 failed")) {
                throw new AssertionError(what + ": the battery says '" + battery() + "':\n" + tail(text, 40));
            }
        }

        /** The battery's summary line, e.g. "17 passed, 0 failed". */
        public String battery() {
            return lastValue("JVFS-BATTERY: ");
        }

        private String lastValue(String marker) {
            String value = "";
            for (String line : text.split("\n")) {
                int at = line.indexOf(marker);
                if (at >= 0) {
                    value = line.substring(at + marker.length()).trim();
                }
            }
            return value;
        }
    }
}

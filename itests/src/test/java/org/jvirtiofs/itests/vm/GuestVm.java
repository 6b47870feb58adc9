package org.jvirtiofs.itests.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    private Path ninepDir;
    private String ninepOptions = "";
    private Supplier<String> daemonLog = () -> "";
    private int memoryMiB = 512;
    private boolean unmount = true;
    private long timeoutSeconds = 240;
    private volatile Process running;

    /** A guest that mounts {@code tag} from the vhost-user socket at {@code socket}. */
    public GuestVm(GuestImage image, Path socket, String tag, Path console) {
        this.image = image;
        this.socket = socket;
        this.tag = tag;
        this.console = console;
    }

    /**
     * A guest that mounts host directory {@code dir} over virtio-9p instead (QEMU's own server,
     * security_model=passthrough), with 9p mount options {@code options}: for comparisons.
     */
    public static GuestVm ninep(GuestImage image, Path dir, String tag, String options, Path console) {
        GuestVm vm = new GuestVm(image, null, tag, console);
        vm.ninepDir = dir;
        vm.ninepOptions = options;
        return vm;
    }

    /** Guest RAM in MiB (512 by default). */
    public GuestVm memory(int mib) {
        this.memoryMiB = mib;
        return this;
    }

    /** Powers off after the script without unmounting the share: for runs that check nothing after it. */
    public GuestVm withoutUnmount() {
        this.unmount = false;
        return this;
    }

    /** How long the guest may run before it is killed and the run fails (240 s by default). */
    public GuestVm timeout(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
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
        running = qemu;
        qemu.getOutputStream().close();
        boolean ended = qemu.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        String stall = "";
        if (!ended) {
            stall = stallReport();
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Console out = new Console(Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "");
        if (!ended) {
            throw failure("the guest did not power off within " + timeoutSeconds + " s\n--- stalled guest ---\n"
                + stall, out, qemuLog);
        }
        if (qemu.exitValue() != 0) {
            throw failure("QEMU exited with " + qemu.exitValue(), out, qemuLog);
        }
        if (!out.result().startsWith("PASS")) {
            throw failure("the guest reported " + out.result(), out, qemuLog);
        }
        return out;
    }

    /** {@link #run} on another thread, for tests that act on the host while the guest runs. */
    public CompletableFuture<Console> runAsync() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** SIGKILLs a running guest's QEMU, for tests that end a guest abruptly; {@link #run} then fails. */
    public void kill() {
        Process qemu = running;
        if (qemu != null) {
            qemu.destroyForcibly();
        }
    }

    private Path qmpSocket() {
        return console.resolveSibling(console.getFileName() + ".qmp");
    }

    /**
     * What a stalled guest shows before it is killed: both virtqueues' avail and used indexes as
     * guest memory holds them (equal: the device completed everything it was given), and the
     * kernel's list of blocked tasks (SysRq w) on the console.
     */
    private String stallReport() {
        StringBuffer report = new StringBuffer(); // appended by the QMP thread
        Thread t = new Thread(() -> {
            try (SocketChannel qmp = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                qmp.connect(UnixDomainSocketAddress.of(qmpSocket()));
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(qmp),
                    StandardCharsets.UTF_8));
                in.readLine(); // the greeting
                for (String command : List.of("{\"execute\":\"qmp_capabilities\"}",
                        queueElement(0), queueElement(1),
                        "{\"execute\":\"send-key\",\"arguments\":{\"keys\":[{\"type\":\"qcode\",\"data\":\"alt\"},"
                            + "{\"type\":\"qcode\",\"data\":\"sysrq\"},{\"type\":\"qcode\",\"data\":\"w\"}]}}")) {
                    qmp.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
                    String line;
                    while ((line = in.readLine()) != null && line.contains("\"event\"")) {
                        // events are not answers
                    }
                    if (!command.contains("qmp_capabilities")) {
                        report.append(command.contains("send-key") ? "sysrq-w: " : "").append(line).append('\n');
                    }
                }
                Thread.sleep(3000); // the blocked-task dump reaches the console
            } catch (IOException | InterruptedException | RuntimeException e) {
                report.append("(no QMP report: ").append(e).append(")\n");
            }
        }, "qmp-stall-report");
        t.setDaemon(true);
        t.start();
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return report.toString();
    }

    private static String queueElement(int queue) {
        return "{\"execute\":\"x-query-virtio-queue-element\",\"arguments\":{\"path\":"
            + "\"/machine/peripheral/fs/virtio-backend\",\"queue\":" + queue + "}}";
    }

    private List<String> command() {
        List<String> c = new ArrayList<>(List.of(QEMU, "-accel", "tcg", "-m", memoryMiB + "M",
                "-object", "memory-backend-memfd,id=mem,size=" + memoryMiB + "M,share=on",
                "-numa", "node,memdev=mem",
                "-kernel", image.kernel().toString(), "-initrd", image.initrd().toString()));
        if (ninepDir == null) {
            c.addAll(List.of("-append", "console=ttyS0 quiet panic=-1 sysrq_always_enabled=1 jvfs.tag=" + tag
                    + (unmount ? "" : " jvfs.umount=0"),
                "-chardev", "socket,id=fs0,path=" + socket,
                // 1024 entries for both queues (QEMU sizes hiprio like the request queue), as the
                // VM launcher gives its guests
                "-device", "vhost-user-fs-pci,chardev=fs0,id=fs,queue-size=1024,tag=" + tag));
        } else {
            c.addAll(List.of("-append", "console=ttyS0 quiet panic=-1 jvfs.tag=" + tag + " jvfs.fstype=9p jvfs.opts="
                + ninepOptions + (unmount ? "" : " jvfs.umount=0"), "-virtfs", "local,path=" + ninepDir + ",mount_tag=" + tag + ",security_model=passthrough,id=fs0"));
        }
        c.addAll(List.of(
                // no default devices: no VGA, no NIC whose boot ROM costs half a second
                "-nodefaults", "-display", "none", "-no-reboot", "-serial", "file:" + console,
                // for the report on a stalled guest
                "-qmp", "unix:" + qmpSocket() + ",server=on,wait=off"));
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

        /**
         * Whether the guest's umount of the share hung in the guest kernel (launcher/guest/init
         * gives it 30 s): a Linux 6.1.192 virtiofs bug, met with QEMU's C virtiofsd too.
         */
        public boolean unmountStuck() {
            return text.contains("JVFS-UMOUNT: STUCK");
        }

        /** Every check of launcher/guest/fsbattery.c. */
        public static final int BATTERY_CHECKS = 18;

        /** Fails unless the battery ran every check and all passed. */
        public void assertBatteryPassed(String what) {
            if (!battery().equals(BATTERY_CHECKS + " passed, 0 failed")) {
                throw new AssertionError(what + ": the battery says '" + battery() + "':\n" + tail(text, 40));
            }
        }

        /** The battery's summary line, e.g. "18 passed, 0 failed". */
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

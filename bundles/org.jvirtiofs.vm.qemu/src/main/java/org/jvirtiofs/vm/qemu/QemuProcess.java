package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jvirtiofs.api.vm.VmManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One QEMU process booting a VM: the process, its run folder (QMP and serial sockets), the QMP
 * connection and the serial console. It exists only once all three are up; a launch that fails
 * leaves no process and no folder behind.
 */
final class QemuProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QemuProcess.class);
    /** How long QEMU may take to create its sockets and greet on QMP. */
    private static final long CONNECT_MILLIS = 30_000;

    private final String vm;
    private final Process process;
    private final Path runDir;
    private final Path qemuLog;
    private final QmpClient qmp;
    private final SerialConsole console;
    private final ConsoleServer consoleServer;
    private final VmSettings.Accel accel;
    private final int ports;
    /** QEMU's run state, from query-status at launch and the STOP, RESUME and SHUTDOWN events since. */
    private volatile String status = "";

    private QemuProcess(String vm, Process process, Path runDir, Path qemuLog, QmpClient qmp, SerialConsole console,
            ConsoleServer consoleServer, VmSettings.Accel accel, int ports) {
        this.vm = vm;
        this.process = process;
        this.runDir = runDir;
        this.qemuLog = qemuLog;
        this.qmp = qmp;
        this.console = console;
        this.consoleServer = consoleServer;
        this.accel = accel;
        this.ports = ports;
    }

    /**
     * Starts QEMU for {@code s} with {@code accel} and the shares {@code devices}, and connects
     * to its console and QMP.
     *
     * @param consoleFile where the serial console is written
     * @param qemuLog where QEMU's own output goes
     * @throws IOException if QEMU exits or does not come up; the message ends with what QEMU said
     */
    static QemuProcess launch(VmSettings s, Path qemu, VmSettings.Accel accel, List<QemuCommand.ShareDevice> devices,
            Path consoleFile, Path qemuLog) throws IOException {
        Path runDir = Files.createTempDirectory("jvirtiofs-vm-");
        Process process = null;
        SerialConsole console = null;
        ConsoleServer server = null;
        try {
            List<String> command = QemuCommand.build(s, qemu, accel, runDir.resolve("qmp.sock"),
                    runDir.resolve("serial.sock"), devices);
            LOG.debug("vm {}: {}", s.name(), String.join(" ", command));
            Files.createDirectories(qemuLog.toAbsolutePath().getParent());
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(qemuLog.toFile()).start();
            process.getOutputStream().close();
            Process p = process;
            console = SerialConsole.open(runDir.resolve("serial.sock"), consoleFile, s.name(), CONNECT_MILLIS, p::isAlive);
            server = ConsoleServer.open(s.consoleSocket() != null ? s.consoleSocket() : runDir.resolve("console.sock"),
                    console, s.name());
            QmpClient qmp = QmpClient.connect(runDir.resolve("qmp.sock"), s.name(), CONNECT_MILLIS, p::isAlive);
            int ports = s.pciExpress() ? devices.size() + s.hotplugSlots() : 0;
            QemuProcess launched = new QemuProcess(s.name(), process, runDir, qemuLog, qmp, console, server, accel, ports);
            launched.trackStatus();
            return launched;
        } catch (IOException | QmpException | RuntimeException e) {
            if (server != null) {
                server.close();
            }
            if (console != null) {
                console.close();
            }
            if (process != null) {
                kill(process);
            }
            deleteTree(runDir);
            String said = tail(qemuLog, 3);
            throw new IOException("QEMU did not start (" + e.getMessage() + ")" + (said.isEmpty() ? "" : ": " + said));
        }
    }

    String vm() {
        return vm;
    }

    QmpClient qmp() {
        return qmp;
    }

    SerialConsole console() {
        return console;
    }

    /** Where the console is served. */
    Path consoleSocket() {
        return consoleServer.path();
    }

    VmSettings.Accel accel() {
        return accel;
    }

    /** QEMU's run state as QMP reports it: "running", "paused", "shutdown", ... */
    String status() {
        return status;
    }

    /**
     * Follows the console until the returned session is closed: {@code output} gets every byte
     * the guest prints from now on (on the console's reader thread: it must not block).
     */
    VmManager.ConsoleSession openConsole(Consumer<byte[]> output) {
        console.follow(output);
        return new VmManager.ConsoleSession() {
            @Override
            public void write(byte[] input) {
                try {
                    console.write(input);
                } catch (IOException e) {
                    throw new IllegalStateException("vm " + vm + ": the console is closed");
                }
            }

            @Override
            public boolean awaitStop(long millis) throws InterruptedException {
                return waitFor(millis);
            }

            @Override
            public void close() {
                console.unfollow(output);
            }
        };
    }

    /** Reads the run state once; events keep it current from then on. */
    private void trackStatus() throws QmpException {
        qmp.listen(e -> {
            switch (e.name()) {
                case "STOP" -> status = "paused";
                case "RESUME" -> status = "running";
                case "SHUTDOWN" -> status = "shutdown";
                default -> {
                    // not a change of run state
                }
            }
        });
        String now = qmp.execute("query-status", null).getAsJsonObject().get("status").getAsString();
        if (status.isEmpty()) {
            status = now;
        }
    }

    /** The PCIe root ports it was started with for shares (0 on machines without PCI Express). */
    int ports() {
        return ports;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for QEMU to exit; its exit code. */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Waits up to {@code millis} for QEMU to exit; true if it did. */
    boolean waitFor(long millis) throws InterruptedException {
        return process.waitFor(millis, TimeUnit.MILLISECONDS);
    }

    /** The last lines QEMU printed, joined, without its chatter about waiting for connections. */
    String logTail(int lines) {
        return tail(qemuLog, lines);
    }

    /** Ends QEMU by signal: SIGTERM, then SIGKILL if it lingers. */
    void kill() {
        kill(process);
    }

    /** Closes the connections and removes the run folder; QEMU must have exited (or been killed). */
    @Override
    public void close() {
        consoleServer.close();
        qmp.close();
        console.close();
        deleteTree(runDir);
    }

    private static void kill(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path log, int lines) {
        try {
            // the end of the file only, as for a console: a chatty QEMU's log can grow large
            List<String> all = SerialConsole.tail(log, lines + 20).stream()
                    .filter(l -> !l.isBlank() && !l.contains("QEMU waiting for connection")).toList();
            return String.join(" | ", all.subList(Math.max(0, all.size() - lines), all.size())).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", dir, e.toString());
        }
    }
}

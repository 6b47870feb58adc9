package org.jvirtiofs.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtiofs.api.vm.VmManager;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vm:console}: the end of a VM's serial console, or the console live. With
 * {@code --attach}, the lines typed go to the guest until a line of just {@value #DETACH}.
 * Output is printed on the command's own thread: Gogo gives each session its own System.out,
 * bound to the thread that runs the command.
 */
@Component(service = VmConsoleCommand.class, property = {
    "osgi.command.scope=vm",
    "osgi.command.function=console"})
public final class VmConsoleCommand {
    /** The line that ends --attach (as ssh's escape does) while the guest keeps running. */
    static final String DETACH = "~.";

    private final VmManager manager;

    /** The command on the VM launcher. */
    @Activate
    public VmConsoleCommand(@Reference(name = "manager") VmManager manager) {
        this.manager = manager;
    }

    /** vm:console */
    @Descriptor("shows the last lines of a VM's serial console; --follow keeps printing until the VM stops "
            + "(or Ctrl-C); --attach also sends the lines you type to the guest (a line '~.' detaches)")
    public void console(CommandSession session,
            @Descriptor("how many lines of the end to show first (default 20)")
            @Parameter(names = {"-n", "--lines"}, absentValue = "20") String lines,
            @Descriptor("keep printing what the guest prints until it stops")
            @Parameter(names = {"-f", "--follow"}, presentValue = "true", absentValue = "false") boolean follow,
            @Descriptor("follow, and type on the guest's console")
            @Parameter(names = {"-a", "--attach"}, presentValue = "true", absentValue = "false") boolean attach,
            @Descriptor("the VM's name") String name) {
        CommandErrors.run("vm:console", System.err, () -> {
            int n = ShareArguments.count("--lines", lines);
            for (String line : manager.console(name, n)) {
                System.out.println(line);
            }
            if (follow || attach) {
                live(name, attach ? session.getKeyboard() : null, System.out);
            }
        });
    }

    /** Prints the console as it comes until the VM stops, the input ends or says {@value #DETACH}, or an interrupt. */
    private void live(String name, InputStream keyboard, PrintStream out) throws InterruptedException {
        BlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
        AtomicBoolean detached = new AtomicBoolean();
        try (VmManager.ConsoleSession console = manager.openConsole(name, output::add)) {
            Thread typist = keyboard == null ? null : typist(name, keyboard, console, detached);
            try {
                while (!detached.get() && !console.awaitStop(0)) {
                    byte[] chunk = output.poll(100, TimeUnit.MILLISECONDS);
                    if (chunk != null) {
                        out.write(chunk, 0, chunk.length);
                        out.flush();
                    }
                }
                for (byte[] rest; (rest = output.poll()) != null;) {
                    out.write(rest, 0, rest.length);
                }
                out.flush();
            } finally {
                if (typist != null) {
                    typist.interrupt();
                    typist.join(1_000);
                }
            }
        }
        out.println(detached.get() ? "\n[vm:console: detached; vm " + name + " keeps running]"
                : "\n[vm:console: vm " + name + " stopped]");
    }

    /**
     * Sends each line typed to the guest, with the Enter key's carriage return. It reads only what
     * is already typed (never blocks in a read), so once the console ends it takes no more of the
     * shell's input.
     */
    private static Thread typist(String name, InputStream keyboard, VmManager.ConsoleSession console,
            AtomicBoolean detached) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                while (!detached.get()) {
                    if (keyboard.available() <= 0) {
                        Thread.sleep(20);
                        continue;
                    }
                    int b = keyboard.read();
                    if (b < 0) {
                        break;
                    }
                    if (b != '\n') {
                        line.write(b);
                        continue;
                    }
                    String typed = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (typed.trim().equals(DETACH)) {
                        break;
                    }
                    console.write((typed + "\r").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException | IllegalStateException e) {
                // the input or the VM is gone: stop typing
            } catch (InterruptedException e) {
                return; // the console ended
            }
            detached.set(true);
        }, "vm-console-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

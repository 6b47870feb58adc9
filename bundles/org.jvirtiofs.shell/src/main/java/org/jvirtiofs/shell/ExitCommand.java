package org.jvirtiofs.shell;

import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code exit} for the platform's Gogo shell: stops the framework, as the end of the shell's
 * input does, so every share unmounts and every VM stops first. Gogo's own {@code exit} is
 * {@code System.exit(int)}: it refuses the bare word and, given a status, ends the JVM with the
 * framework still running, leaving host mounts stale and guests without their daemon.
 *
 * <p>Offered only where the framework property {@value #ENABLE} is true (bin/jvirtiofs sets it):
 * in a container such as Karaf, whose console has its own exit, the command would stop the whole
 * container. It goes in Gogo's scope, which the Felix shell searches first.
 */
@Component(service = {})
public final class ExitCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ExitCommand.class);
    /** The framework property that offers the command. */
    public static final String ENABLE = "jvirtiofs.shell.exit";

    private final BundleContext context;
    private final ServiceRegistration<ExitCommand> registration;

    /** Registers the command if the framework asks for it. */
    @Activate
    public ExitCommand(BundleContext context) {
        this.context = context;
        if (Boolean.parseBoolean(context.getProperty(ENABLE))) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("osgi.command.scope", "gogo");
            props.put("osgi.command.function", "exit");
            this.registration = context.registerService(ExitCommand.class, this, props);
        } else {
            this.registration = null;
        }
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            registration.unregister();
        }
    }

    /** exit */
    @Descriptor("stops the platform: every share and VM, then the framework")
    public void exit() {
        System.out.println("stopping jvirtiofs");
        Thread stopper = new Thread(new Stopper(Thread.currentThread()), "jvirtiofs-exit");
        stopper.setDaemon(true);
        stopper.start();
    }

    /** exit STATUS, as Gogo's exit is called; the platform always ends with status 0. */
    @Descriptor("stops the platform as exit does; the status is not passed on (the launcher ends with 0)")
    public void exit(@Descriptor("ignored") int status) {
        exit();
    }

    /**
     * Stops the framework once the command's own thread is done with it. Gogo runs a command on
     * a pooled thread named after it while the console thread waits for it; stopping the shell
     * while the console still waits interrupts that wait, and the console prints
     * "gogo: InterruptedException" for a command that worked. The thread is done when it is back
     * in its pool under another name, or gone.
     */
    private final class Stopper implements Runnable {
        private static final long MAX_WAIT_MILLIS = 5_000;
        private final Thread command;
        private final String name;

        Stopper(Thread command) {
            this.command = command;
            this.name = command.getName();
        }

        @Override
        public void run() {
            long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
            try {
                while (!commandDone() && System.currentTimeMillis() < deadline) {
                    Thread.sleep(10);
                }
                context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (BundleException | IllegalStateException e) {
                // the command has returned by now: the log is the only place left to say so
                LOG.error("exit could not stop the framework: {}", e.getMessage());
            }
        }

        private boolean commandDone() {
            Thread.State state = command.getState();
            return state == Thread.State.TERMINATED || !command.getName().equals(name)
                    && (state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING);
        }
    }
}

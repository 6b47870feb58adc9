package org.jvirtiofs.shell;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code exit}: stops the platform the way the end of the shell's input does, by stopping the
 * framework, so every share unmounts and every VM stops first. Gogo's own {@code exit} is
 * {@code System.exit(int)}: it wants a status and, given one, ends the JVM with the framework
 * still running, leaving host mounts stale and guests without their daemon. The scope is
 * Gogo's own, which the shell searches first.
 */
@Component(service = ExitCommand.class, property = {
    "osgi.command.scope=gogo",
    "osgi.command.function=exit"})
public final class ExitCommand {
    private final BundleContext context;

    /** The command, on the framework {@code context} belongs to. */
    @Activate
    public ExitCommand(BundleContext context) {
        this.context = context;
    }

    /** exit */
    @Descriptor("stops the platform: every share and VM, then the framework")
    public void exit() throws BundleException {
        System.out.println("stopping jvirtiofs");
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).stop();
    }

    /** exit STATUS, as Gogo's exit is called; the platform always ends with status 0. */
    @Descriptor("stops the platform as exit does; the status is not passed on (the launcher ends with 0)")
    public void exit(@Descriptor("ignored") int status) throws BundleException {
        exit();
    }
}

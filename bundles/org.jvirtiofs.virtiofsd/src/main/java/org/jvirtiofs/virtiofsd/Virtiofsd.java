package org.jvirtiofs.virtiofsd;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.Arrays;
import java.util.Map;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.posix.OpenFilesLimit;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.jvirtiofs.vhostuser.VhostUserBackend;
import org.jvirtiofs.vhostuser.warmup.WarmUp;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtiofsd drop-in: takes the command line the bnd launcher was started with, and serves
 * one share over vhost-user until the process is stopped. Lives only in jvirtiofsd's runtime.
 */
@Component(immediate = true)
public final class Virtiofsd {
    private static final Logger LOG = LoggerFactory.getLogger(Virtiofsd.class);
    private static final long PROVIDER_WAIT_MILLIS = 10_000;
    private static final String WARM_UP = "jvirtiofsd-warm-up";
    /** The warm-up's sessions, observed and served as the guest's are (see {@link #requestHandler}). */
    private static final WarmUp.Sessions WARM_UP_SESSIONS = new WarmUp.Sessions() {
        @Override
        public FuseSession session(FuseFilesystem fs) {
            return new FuseSession(fs, SessionOptions.defaults(), new RequestTally());
        }

        @Override
        public RequestHandler handler(FuseSession session) {
            return requestHandler(session, () -> { });
        }
    };

    private volatile FuseFilesystem filesystem;
    private final RequestTally tally = new RequestTally();
    private volatile VhostUserBackend backend;
    /** The warm-up, if one was started; it ends itself once the guest's first request is served. */
    private volatile WarmUp warmUp;
    /** SIGTERM (how QEMU's users stop virtiofsd) runs shutdown hooks, not the framework's stop. */
    private final Thread onTerminate = new Thread(this::deactivate, "jvirtiofsd-terminate");

    /** The bnd launcher's own service; its properties carry the command line. */
    @Reference(service = Object.class, target = "(launcher.arguments=*)")
    private Map<String, Object> launcher;

    /** The posix bundle's, which raised the limit when it started: --rlimit-nofile comes after that. */
    @Reference
    private OpenFilesLimit openFilesLimit;

    @Activate
    void activate(BundleContext context) {
        String[] args = (String[]) launcher.get("launcher.arguments");
        CommandLine.Action action = CommandLine.parse(Arrays.asList(args));
        if (action instanceof CommandLine.Help) {
            exit(System.out, Usage.HELP.stripTrailing(), 0);
        } else if (action instanceof CommandLine.Version v) {
            exit(System.out, "jvirtiofsd " + context.getBundle().getVersion(), 0);
        } else if (action instanceof CommandLine.PrintCapabilities) {
            exit(System.out, Usage.CAPABILITIES, 0);
        } else if (action instanceof CommandLine.Invalid invalid) {
            exit(System.err, "jvirtiofsd: " + invalid.message(), 2);
        } else if (action instanceof CommandLine.Run run) {
            serve(context, run.options());
        }
    }

    @Deactivate
    void stop() {
        try {
            Runtime.getRuntime().removeShutdownHook(onTerminate);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never served: the hook does (or did) the work
        }
        deactivate();
    }

    /** Ends the warm-up, closes the backend (unlinking its socket) and the provider; safe to run twice. */
    private synchronized void deactivate() {
        WarmUp w = warmUp;
        warmUp = null;
        if (w != null) {
            w.stopAndWait();
        }
        VhostUserBackend b = backend;
        backend = null;
        if (b != null) {
            b.close();
        }
        FuseFilesystem fs = filesystem;
        filesystem = null;
        if (fs != null) {
            fs.close();
        }
    }

    /**
     * The handler serving {@code session}'s chains, {@code gone} run when the guest goes. The
     * warm-up's session is served by one made here too: one class, so the JIT's code compiled
     * during the warm-up stays valid for the guest.
     */
    static RequestHandler requestHandler(FuseSession session, Runnable gone) {
        return RequestHandler.onFrontendGone(RequestHandler.of(session::handle, session::mayBlock), gone);
    }

    /** What the guest asked, once it is gone: nothing if it asked nothing. */
    private void logTally() {
        String summary = tally.takeSummary();
        if (summary != null) {
            LOG.info("guest gone: served {}", summary);
        }
    }

    private void serve(BundleContext context, DaemonOptions options) {
        for (String line : options.notEnforced()) {
            LOG.warn("not done here: {}", line);
        }
        if (!limitOpenFiles(options.rlimitNofile())) {
            return;
        }
        try {
            GroupPrincipal group = options.socketGroup() == null ? null : group(options.socketGroup());
            FilesystemFactory factory = provider(context, options.provider());
            filesystem = factory.create(options.providerOptions());
            FuseSession session = new FuseSession(filesystem, SessionOptions.defaults(), tally);
            BackendOptions backendOptions = BackendOptions.defaults().withThreadPoolSize(options.threadPoolSize());
            // a guest that goes away (QEMU killed, or stopped) leaves no nodes or open files behind, and
            // the log says what it asked
            RequestHandler handler = requestHandler(session, () -> {
                logTally();
                session.destroy();
            });
            backend = options.socketPath() != null
                    ? VhostUserBackend.listen(options.socketPath(), backendOptions, handler, handler)
                    : VhostUserBackend.serve(options.fd(), backendOptions, handler, handler);
            Runtime.getRuntime().addShutdownHook(onTerminate);
            if (group != null) {
                openToGroup(Path.of(options.socketPath()), group);
            }
            LOG.info("serving {} ({}) on {}", options.sharedDir() != null ? options.sharedDir() : "a share",
                    options.provider(), options.socketPath() != null ? options.socketPath() : "fd " + options.fd());
            // only for providers it can serve away from the share's data (WarmUp.supports)
            if (options.warmUpSeconds() > 0 && WarmUp.supports(options.provider())) {
                VhostUserBackend b = backend;
                warmUp = WarmUp.start(WARM_UP, factory, options.providerOptions(), options.warmUpSeconds(),
                        () -> b.status().requestsServed() > 0, WARM_UP_SESSIONS);
            }
        } catch (IllegalArgumentException | FsException e) {
            exit(System.err, "jvirtiofsd: " + e.getMessage(), 1);
        } catch (IOException e) {
            // the socket: its path taken, its directory missing; the message says which, no trace needed
            exit(System.err, "jvirtiofsd: " + e.getMessage(), 1);
        } catch (Exception e) {
            LOG.error("cannot serve", e);
            exit(System.err, "jvirtiofsd: cannot serve: " + e.getMessage(), 1);
        }
    }

    /** The group --socket-group names; IllegalArgumentException if there is none by that name. */
    private static GroupPrincipal group(String name) throws IOException {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByGroupName(name);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("--socket-group=" + name + ": no such group");
        }
    }

    /**
     * Lets {@code group}'s members connect to the socket, as virtiofsd's --socket-group does: the
     * socket's group, and read, write and search for owner and group only (connecting needs write).
     */
    private static void openToGroup(Path socket, GroupPrincipal group) throws IOException {
        Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(group);
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rwxrwx---"));
        LOG.info("socket {} open to group {}", socket, group.getName());
    }

    /** Sets the limit --rlimit-nofile asks for (-1: none asked); false, exiting, if it cannot be set. */
    private boolean limitOpenFiles(long n) {
        if (n < 0) {
            return true;
        }
        try {
            LOG.debug("open files limit {}", openFilesLimit.set(n));
            return true;
        } catch (PosixException e) {
            exit(System.err, "jvirtiofsd: --rlimit-nofile=" + n + ": cannot set the open-files limit: "
                    + e.getMessage(), 1);
            return false;
        }
    }

    private static FilesystemFactory provider(BundleContext context, String type) throws InvalidSyntaxException,
            InterruptedException {
        String filter = "(&(objectClass=" + FilesystemFactory.class.getName() + ")("
                + FilesystemFactory.TYPE_PROPERTY + "=" + type + "))";
        ServiceTracker<FilesystemFactory, FilesystemFactory> tracker =
                new ServiceTracker<>(context, context.createFilter(filter), null);
        tracker.open();
        // providers are bundles like any other: give one that starts late a moment
        FilesystemFactory factory = tracker.waitForService(PROVIDER_WAIT_MILLIS);
        if (factory == null) {
            throw new IllegalArgumentException("no provider of type '" + type + "' is installed");
        }
        return factory;
    }

    /** Prints and ends the process; from another thread, as the framework stops in a shutdown hook. */
    private static void exit(PrintStream stream, String text, int status) {
        stream.println(text);
        stream.flush();
        Thread t = new Thread(() -> System.exit(status), "jvirtiofsd-exit");
        t.start();
    }
}

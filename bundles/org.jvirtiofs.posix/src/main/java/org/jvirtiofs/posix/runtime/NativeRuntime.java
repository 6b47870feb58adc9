package org.jvirtiofs.posix.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.OpenFilesLimit;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.jvirtiofs.posix.jnr.Native;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the process for serving large trees when the platform starts: loads the native
 * libraries once (so a broken native setup fails here, loudly, not on a guest's first request)
 * and raises the limit on open files, since a share holds a descriptor for each file the guest
 * knows: both limits to a million (what QEMU's and the Rust virtiofsd ask for), or the kernel's
 * ceiling {@code fs.nr_open} if lower, where the process may raise its hard limit
 * (CAP_SYS_RESOURCE); else the soft limit to the hard one. As {@link OpenFilesLimit} it sets
 * another limit when told to. Only the libc calls a daemon makes
 * before its socket are bound here
 * ({@link Native#early()}); the rest of libc's binding and jnr-posix's are made on a thread of
 * its own: nothing before the socket needs them, and making them takes about 0.3 s, which the
 * socket then does not wait for. A call that needs one first waits for it.
 */
@Component(immediate = true, service = {NativeRuntime.class, OpenFilesLimit.class})
public final class NativeRuntime implements OpenFilesLimit {
    private static final Logger LOG = LoggerFactory.getLogger(NativeRuntime.class);

    /** The open-files limit a daemon asks for, as QEMU's and the Rust virtiofsd do. */
    static final long WANTED_OPEN_FILES = 1_000_000;
    private static final Path NR_OPEN = Path.of("/proc/sys/fs/nr_open");

    /** How long a stop waits for the bindings to be made. */
    private static final long LOADER_WAIT_MS = 30_000;

    private volatile Rlimit atStart;
    private volatile Rlimit openFiles;
    private Thread loader;

    @Activate
    void activate() throws PosixException {
        atStart = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        openFiles = raiseOpenFileLimit(atStart);
        loader = new Thread(NativeRuntime::bindTheRest, "jvirtiofs-native-bindings");
        loader.setDaemon(true);
        loader.start();
        // debug: command-line entry points (jvirtiofsd --help) should print nothing else; and
        // getpid would load jnr-posix on this thread
        if (LOG.isDebugEnabled()) {
            LOG.debug("native layer ready: pid {}, open files limit {}", ThisProcess.getpid(), openFiles.cur());
        }
    }

    /**
     * Waits for the loading thread: a framework stopped straight after its start (a piped shell
     * command, {@code --version}) would otherwise stop jnr's bundles under it, and the binding
     * would fail half made.
     */
    @Deactivate
    void deactivate() throws InterruptedException {
        loader.join(LOADER_WAIT_MS);
        if (loader.isAlive()) {
            LOG.warn("the native bindings are still being made after {} ms; stopping anyway", LOADER_WAIT_MS);
        }
    }

    /** Makes libc's binding, which QEMU's handshake needs first (mmap), then jnr-posix's (getpid is one of its calls). */
    private static void bindTheRest() {
        try {
            Native.libc();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("libc's binding cannot be made: every call through it will fail", e);
        }
        try {
            ThisProcess.getpid();
        } catch (RuntimeException | LinkageError e) {
            LOG.error("jnr-posix cannot be loaded: every call through it will fail", e);
        }
    }

    /** The open-files limit as set at activation, or by {@link #set} since. */
    public Rlimit openFiles() {
        return openFiles;
    }

    @Override
    public Rlimit atStart() {
        return atStart;
    }

    @Override
    public synchronized Rlimit set(long n) throws PosixException {
        Rlimit target = target(n, atStart, nrOpen());
        Rlimit now = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        try {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, target);
        } catch (PosixException e) {
            if (e.errno() != Errno.EPERM) {
                throw e;
            }
            throw new PosixException(Errno.EPERM, "setrlimit", "RLIMIT_NOFILE " + n + ": above the hard limit "
                    + now.max() + ", which only a process with CAP_SYS_RESOURCE may raise");
        }
        openFiles = target;
        return target;
    }

    /**
     * What {@link #set} asks the kernel for: both limits at {@code n}, or {@code atStart} for 0;
     * EINVAL above the kernel's ceiling {@code nrOpen} (0 if unknown), which no capability lifts.
     */
    static Rlimit target(long n, Rlimit atStart, long nrOpen) throws PosixException {
        if (n < 0) {
            throw new IllegalArgumentException("a limit on open files cannot be negative: " + n);
        }
        if (n == 0) {
            return atStart;
        }
        if (nrOpen > 0 && n > nrOpen) {
            throw new PosixException(Errno.EINVAL, "setrlimit", "RLIMIT_NOFILE " + n
                    + ": above the kernel's ceiling, fs.nr_open = " + nrOpen);
        }
        return new Rlimit(n, n);
    }

    /**
     * Raises RLIMIT_NOFILE from {@code now} to {@link #wantedOpenFiles} if the process may raise
     * its hard limit, else the soft limit to the hard one; returns the limit now in force.
     */
    static Rlimit raiseOpenFileLimit(Rlimit now) throws PosixException {
        long wanted = wantedOpenFiles(now, nrOpen());
        if (wanted != now.max()) {
            Rlimit raised = new Rlimit(wanted, wanted);
            try {
                ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, raised);
                return raised;
            } catch (PosixException e) {
                if (e.errno() != Errno.EPERM && e.errno() != Errno.EINVAL) {
                    throw e;
                }
                // no CAP_SYS_RESOURCE (or a ceiling lower than /proc said): the hard limit stays
                LOG.debug("the open files limit stays at most {}: {}", now.max(), e.getMessage());
            }
        }
        if (now.cur() != now.max()) {
            now = new Rlimit(now.max(), now.max());
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, now);
        }
        return now;
    }

    /**
     * The hard limit to ask for: {@link #WANTED_OPEN_FILES}, or the kernel's ceiling
     * {@code nrOpen} if lower; never lower than {@code now}'s hard limit.
     */
    static long wantedOpenFiles(Rlimit now, long nrOpen) {
        if (now.max() == Rlimit.INFINITY) {
            return Rlimit.INFINITY;
        }
        long ceiling = nrOpen > 0 ? Math.min(WANTED_OPEN_FILES, nrOpen) : WANTED_OPEN_FILES;
        return Math.max(now.max(), ceiling);
    }

    /**
     * The kernel's ceiling on a process's open-files limit ({@code fs.nr_open}); 0 if unknown.
     * Read through a buffer: a sysctl file gives nothing to a read past its start, and
     * {@code Files.readString} of a file whose size says 0 reads one byte first, then the rest
     * from there (it read 1 for 1048576).
     */
    static long nrOpen() {
        try {
            return Long.parseLong(Files.readAllLines(NR_OPEN).get(0).strip());
        } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
            return 0;
        }
    }
}

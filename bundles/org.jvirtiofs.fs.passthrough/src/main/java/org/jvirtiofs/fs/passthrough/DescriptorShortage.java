package org.jvirtiofs.fs.passthrough;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, at most once a minute, that the process has run out of file descriptors, and
 * what to do about it. The guest only sees "Too many open files" (EMFILE, ENFILE) for files it
 * has not looked up yet; the operator needs to know that each file and directory the guest holds
 * keeps an O_PATH descriptor here, what the limit is, and the two ways out. Process-wide, like
 * the limit. Loaded when a share starts ({@link #prepare()}): at the limit no class file could be
 * opened.
 */
final class DescriptorShortage {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorShortage.class);
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private static final long NONE_YET = Long.MIN_VALUE;

    /** Shortages since the last warning. */
    private static final AtomicLong SINCE = new AtomicLong();
    /** When the next warning may come (System.nanoTime); {@link #NONE_YET} before the first. */
    private static final AtomicLong NEXT = new AtomicLong(NONE_YET);

    private DescriptorShortage() {
    }

    /** Loads this class and what a warning needs, while descriptors are still to be had. */
    static void prepare() {
        try {
            ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        } catch (PosixException | RuntimeException e) {
            LOG.debug("getrlimit: {}", e.getMessage());
        }
        // a warning's text: the host error's message names the errno through posix's Errno
        LOG.trace("prepared for {}", new PosixException(Errno.EMFILE, "openat2", null).getMessage());
    }

    /** Notes a failed host call; warns if it ran out of descriptors and no warning came this minute. */
    static void check(PosixException e) {
        int errno = e.errno();
        if (errno != Errno.EMFILE && errno != Errno.ENFILE) {
            return;
        }
        long times = SINCE.incrementAndGet();
        long now = System.nanoTime();
        long next = NEXT.get();
        if (next != NONE_YET && now - next < 0 || !NEXT.compareAndSet(next, now + EVERY_NANOS)) {
            return;
        }
        SINCE.addAndGet(-times);
        LOG.warn("out of file descriptors ({}), {}: the guest gets 'Too many"
                + " open files' for files it has not looked up yet. Each file and directory a guest holds keeps an"
                + " O_PATH descriptor here, so a guest can hold about as many as the open-files limit, {} for this"
                + " process{}. Raise the limit (ulimit -n; systemd's LimitNOFILE=), or serve the share with"
                + " inode-file-handles=prefer, which keeps file handles instead (needs CAP_DAC_READ_SEARCH)",
                e.getMessage(), next == NONE_YET ? "the first time" : times + " time(s) since the last warning", limit(),
                errno == Errno.ENFILE ? ", or the system's (fs.file-max), which this one reached" : "");
    }

    /** The process's open-files limit now (the soft one), as the log says it. */
    static String limit() {
        try {
            Rlimit nofile = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
            return nofile.cur() == Rlimit.INFINITY ? "unlimited" : String.valueOf(nofile.cur());
        } catch (PosixException | RuntimeException unknown) {
            return "unknown";
        }
    }

    /** Forgets earlier warnings, so that the next shortage warns at once (tests). */
    static void reset() {
        SINCE.set(0);
        NEXT.set(NONE_YET);
    }
}

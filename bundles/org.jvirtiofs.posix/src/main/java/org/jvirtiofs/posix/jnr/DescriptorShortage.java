package org.jvirtiofs.posix.jnr;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.ThisProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log, at most once a minute, that the process has run out of file descriptors, and
 * what to do about it: {@link Native#error} hands it every failed call. The guest only sees "Too
 * many open files" (EMFILE, ENFILE); the operator needs to know that each file and directory a
 * guest holds keeps an O_PATH descriptor (passthrough with inode descriptors, overlay), what the
 * limit is, and the ways out. Process-wide, like the limit. {@link Native} loads this class, and
 * this class what a warning needs, while descriptors are still to be had: at the limit no class
 * file could be opened.
 */
public final class DescriptorShortage {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorShortage.class);
    private static final long EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final long NONE_YET = Long.MIN_VALUE;

    /** Shortages since the last warning. */
    private static final AtomicLong SINCE = new AtomicLong();
    /** When the next warning may come (System.nanoTime); {@link #NONE_YET} before the first. */
    private static final AtomicLong NEXT = new AtomicLong(NONE_YET);

    static {
        // a warning's text: the host error's message names the errno through Errno
        LOG.trace("ready for {}", new PosixException(Errno.EMFILE, "openat2", null).getMessage());
    }

    private DescriptorShortage() {
    }

    /** Loads this class (see above). */
    static void load() {
        // the static initializer did it
    }

    /** Notes a failed call; warns if it ran out of descriptors and no warning came this minute. */
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
        LOG.warn("out of file descriptors ({}), {}: the guest gets 'Too many open files' where one is needed, as for"
                + " files it has not looked up yet. Each file and directory a guest holds keeps an O_PATH descriptor"
                + " (passthrough shares with inode descriptors, overlay shares), so a guest can hold about as many as"
                + " the open-files limit, {} for this process{}. Raise the limit (ulimit -n; systemd's LimitNOFILE=),"
                + " or serve passthrough shares with inode-file-handles=prefer, which keeps file handles instead"
                + " (needs CAP_DAC_READ_SEARCH)",
                e.getMessage(), next == NONE_YET ? "the first time" : times + " time(s) since the last warning",
                ThisProcess.openFilesLimit(), errno == Errno.ENFILE ? ", or the system's (fs.file-max), which this one reached" : "");
    }

    /** Forgets earlier warnings, so that the next shortage warns at once (tests). */
    public static void reset() {
        SINCE.set(0);
        NEXT.set(NONE_YET);
    }
}

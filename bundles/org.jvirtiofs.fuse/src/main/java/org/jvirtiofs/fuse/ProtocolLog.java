package org.jvirtiofs.fuse;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session's logging, bounded: a broken or hostile guest can send millions of bad requests,
 * and a buggy provider can fail on every call, so neither may flood the log. Errors a provider
 * reports as FsException are normal and are not logged at all.
 */
final class ProtocolLog {
    private static final Logger LOG = LoggerFactory.getLogger(FuseSession.class);
    /** Malformed requests logged at WARN before the rest go to DEBUG. */
    private static final int LOUD_BAD_REQUESTS = 10;
    /** Distinct provider failure sites remembered (each logged once with its stack). */
    private static final int MAX_BUG_SITES = 1024;

    /** How often a full heap is said in the log: once a minute at most. */
    private static final long OUT_OF_MEMORY_EVERY_NANOS = 60_000_000_000L;

    private final AtomicInteger badRequests = new AtomicInteger();
    private final AtomicLong outOfMemory = new AtomicLong();
    /** When the next such line may come (System.nanoTime); {@link Long#MIN_VALUE} before the first. */
    private final AtomicLong nextOutOfMemoryLog = new AtomicLong(Long.MIN_VALUE);
    private final Set<String> bugSites = ConcurrentHashMap.newKeySet();
    private final RequestObserver observer;

    ProtocolLog(RequestObserver observer) {
        this.observer = observer;
    }

    /** A request we could not serve as sent: one line, WARN for the first few. */
    void badRequest(String what, int opcode, long unique) {
        int n = badRequests.incrementAndGet();
        if (n <= LOUD_BAD_REQUESTS) {
            LOG.warn("Malformed FUSE request {} (unique {}): {}{}", FuseOpcode.name(opcode),
                    Long.toUnsignedString(unique), what,
                    n == LOUD_BAD_REQUESTS ? "; further ones are logged at DEBUG" : "");
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Malformed FUSE request {} (unique {}): {}", FuseOpcode.name(opcode),
                    Long.toUnsignedString(unique), what);
        }
    }

    /** Input too short to hold even an opcode and unique: nothing to name, nothing to answer. */
    void fragment(int bytes) {
        badRequest("only " + bytes + " readable bytes", 0, 0);
    }

    /**
     * A request that found the heap full, replied ENOMEM: one line a minute at most, no stack
     * (there may be no room to make one), and nothing at all if even that cannot be said.
     */
    void outOfMemory(int opcode) {
        long times = outOfMemory.incrementAndGet();
        long next = nextOutOfMemoryLog.get();
        long now = System.nanoTime();
        if (next != Long.MIN_VALUE && now - next < 0
                || !nextOutOfMemoryLog.compareAndSet(next, now + OUT_OF_MEMORY_EVERY_NANOS)) {
            return;
        }
        outOfMemory.addAndGet(-times);
        try {
            LOG.error("FUSE {} failed: the daemon's heap is full (OutOfMemoryError), replying ENOMEM ({} request(s)"
                    + " since the last such line). The session goes on, and requests succeed again once the guest"
                    + " forgets files; a guest that holds this many files needs a larger heap"
                    + " (JVIRTIOFS_JAVA_OPTS=-Xmx...)", FuseOpcode.name(opcode), times);
        } catch (OutOfMemoryError stillFull) {
            // said next time
        }
    }

    /** A RuntimeException out of the provider or the session: stack once per class and site; the observer hears of each. */
    void bug(int opcode, Throwable e) {
        try {
            observer.failed(opcode, e);
        } catch (RuntimeException ignored) {
            // an observer must not throw; it cannot take the session down either
        }
        StackTraceElement[] st = e.getStackTrace();
        String key = opcode + ":" + e.getClass().getName() + "@" + (st.length > 0 ? st[0] : "");
        if (bugSites.size() < MAX_BUG_SITES && bugSites.add(key)) {
            LOG.error("FUSE {} failed, replying EIO (logged once per failure site)",
                    FuseOpcode.name(opcode), e);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("FUSE {} failed again, replying EIO: {}", FuseOpcode.name(opcode),
                    e.toString());
        }
    }

    /** A provider broke a rule the session can repair; WARN once per kind. */
    void misuse(String what) {
        if (bugSites.size() < MAX_BUG_SITES && bugSites.add(what)) {
            LOG.warn("Provider contract violation: {} (logged once)", what);
        }
    }
}

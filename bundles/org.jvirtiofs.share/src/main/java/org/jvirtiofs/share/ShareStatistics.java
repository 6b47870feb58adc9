package org.jvirtiofs.share;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.share.ShareStats;
import org.jvirtiofs.fuse.FuseOpcode;
import org.jvirtiofs.fuse.RequestObserver;

/**
 * A share's counters, fed by its FUSE session: requests per opcode, errors per errno, payload
 * bytes, and a latency histogram of power-of-two buckets. Lock-free: serving threads only add.
 */
final class ShareStatistics implements RequestObserver {
    private static final int OPCODES = 64;
    private static final int ERRNOS = 512;
    private static final int BUCKETS = 64;

    private final LongAdder[] requests = adders(OPCODES);
    private final LongAdder[] errors = adders(ERRNOS);
    /** Bucket i counts latencies in [2^i, 2^(i+1)) ns; bucket 0 also takes 0. */
    private final LongAdder[] latency = adders(BUCKETS);
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
    private final LongAdder swaps = new LongAdder();

    @Override
    public void served(int opcode, int errno, long nanos, long payloadBytes) {
        requests[opcode >= 0 && opcode < OPCODES ? opcode : 0].increment();
        if (errno > 0 && errno < ERRNOS) {
            errors[errno].increment();
        }
        if (opcode == FuseOpcode.FUSE_READ) {
            bytesRead.add(payloadBytes);
        } else if (opcode == FuseOpcode.FUSE_WRITE) {
            bytesWritten.add(payloadBytes);
        }
        long n = Math.max(nanos, 1);
        latency[63 - Long.numberOfLeadingZeros(n)].increment();
        maxNanos.accumulate(n);
    }

    /** Whether any request was served yet. */
    boolean anyServed() {
        for (LongAdder n : requests) {
            if (n.sum() > 0) {
                return true;
            }
        }
        return false;
    }

    /** Counts a provider replacement. */
    void swapped() {
        swaps.increment();
    }

    /** A snapshot; {@code inFlight} and {@code connected} come from the gate and the transport. */
    ShareStats snapshot(int inFlight, boolean connected) {
        Map<String, Long> byOpcode = new TreeMap<>();
        for (int op = 0; op < OPCODES; op++) {
            long n = requests[op].sum();
            if (n > 0) {
                byOpcode.put(FuseOpcode.name(op), n);
            }
        }
        Map<String, Long> byErrno = new TreeMap<>();
        for (int e = 1; e < ERRNOS; e++) {
            long n = errors[e].sum();
            if (n > 0) {
                byErrno.put(Errno.name(e), n);
            }
        }
        long[] histogram = new long[BUCKETS];
        long total = 0;
        for (int i = 0; i < BUCKETS; i++) {
            histogram[i] = latency[i].sum();
            total += histogram[i];
        }
        long max = maxNanos.get();
        return new ShareStats(byOpcode, byErrno, bytesRead.sum(), bytesWritten.sum(),
                percentile(histogram, total, 0.50, max), percentile(histogram, total, 0.99, max), max, inFlight,
                connected, swaps.sum());
    }

    /** The upper bound of the bucket holding the given fraction of requests, capped at the maximum. */
    private static long percentile(long[] histogram, long total, double fraction, long max) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(total * fraction);
        long seen = 0;
        for (int i = 0; i < histogram.length; i++) {
            seen += histogram[i];
            if (seen >= rank) {
                return i >= 62 ? max : Math.min(max, (1L << (i + 1)) - 1);
            }
        }
        return max;
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] a = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }
}

package org.jvirtiofs.api.share;

import java.util.Map;

/**
 * Live statistics of a share since it started.
 *
 * @param requests requests served per FUSE opcode name ("LOOKUP", "READ", ...)
 * @param errors error replies per errno name ("ENOENT", ...)
 * @param bytesRead bytes the guest read
 * @param bytesWritten bytes the guest wrote
 * @param p50Nanos median request latency (resolution: a power of two)
 * @param p99Nanos 99th percentile request latency (resolution: a power of two)
 * @param maxNanos slowest request
 * @param inFlight requests being served now
 * @param connected whether a guest is attached
 * @param swaps how many times the provider was replaced under the share
 */
public record ShareStats(Map<String, Long> requests, Map<String, Long> errors, long bytesRead, long bytesWritten,
        long p50Nanos, long p99Nanos, long maxNanos, int inFlight, boolean connected, long swaps) {
    /** Keeps immutable copies of the maps. */
    public ShareStats {
        requests = Map.copyOf(requests);
        errors = Map.copyOf(errors);
    }

    /** All requests served. */
    public long totalRequests() {
        return requests.values().stream().mapToLong(Long::longValue).sum();
    }
}

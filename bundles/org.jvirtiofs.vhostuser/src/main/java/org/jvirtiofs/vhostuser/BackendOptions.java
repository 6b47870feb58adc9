package org.jvirtiofs.vhostuser;

/**
 * How a {@link VhostUserBackend} serves: its queues, threads and limits.
 *
 * @param requestQueues  request queues offered besides the hiprio queue (QEMU's num-request-queues)
 * @param threadPoolSize threads handling request chains in parallel; 0 handles them inline on each queue's worker
 * @param maxMemSlots    memory regions the frontend may add with VHOST_USER_ADD_MEM_REG
 * @param stopTimeoutMillis how long a disconnect waits for a busy handler before leaking, not unmapping, guest memory
 */
public record BackendOptions(int requestQueues, int threadPoolSize, int maxMemSlots, long stopTimeoutMillis) {

    /** The most request queues a backend offers: virtio-fs has one hiprio queue besides them. */
    public static final int MAX_REQUEST_QUEUES = 64;

    /** Checks the ranges. */
    public BackendOptions {
        if (requestQueues < 1 || requestQueues > MAX_REQUEST_QUEUES) {
            throw new IllegalArgumentException("requestQueues must be 1.." + MAX_REQUEST_QUEUES + ": " + requestQueues);
        }
        if (threadPoolSize < 0) {
            throw new IllegalArgumentException("threadPoolSize must not be negative: " + threadPoolSize);
        }
        if (maxMemSlots < 8 || maxMemSlots > 509) {
            // 8: SET_MEM_TABLE's fixed table; 509: the vhost-user spec's VHOST_USER_MAX_CONFIG_MEMSLOTS bound
            throw new IllegalArgumentException("maxMemSlots must be 8..509: " + maxMemSlots);
        }
        if (stopTimeoutMillis <= 0) {
            throw new IllegalArgumentException("stopTimeoutMillis must be positive: " + stopTimeoutMillis);
        }
    }

    /** One request queue, handled inline, 32 memory slots, 10 s to stop. */
    public static BackendOptions defaults() {
        return new BackendOptions(1, 0, 32, 10_000);
    }

    /** These options with {@code n} request queues. */
    public BackendOptions withRequestQueues(int n) {
        return new BackendOptions(n, threadPoolSize, maxMemSlots, stopTimeoutMillis);
    }

    /** These options with a pool of {@code n} threads (0: inline). */
    public BackendOptions withThreadPoolSize(int n) {
        return new BackendOptions(requestQueues, n, maxMemSlots, stopTimeoutMillis);
    }
}

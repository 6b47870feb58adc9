package org.jvirtiofs.vhostuser.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters of a whole backend, across connections and queues. */
public final class BackendCounters {
    public final LongAdder connections = new LongAdder();
    public final LongAdder requestsServed = new LongAdder();
    public final LongAdder hiprioServed = new LongAdder();
    public final LongAdder chainErrors = new LongAdder();
    public volatile boolean connected;

    /** The stats of queue {@code index}: 0 is hiprio, the rest are request queues. */
    public QueueStats forQueue(int index) {
        return new QueueStats(index == 0 ? hiprioServed : requestsServed, chainErrors);
    }
}

package org.jvirtiofs.vhostuser.internal;

import java.util.concurrent.atomic.LongAdder;

/** The counters a queue worker updates: chains served, and chains refused as malformed. */
public record QueueStats(LongAdder servedChains, LongAdder chainErrors) {

    void served() {
        servedChains.increment();
    }

    void chainError() {
        chainErrors.increment();
    }
}

package org.jvirtiofs.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Every JMH benchmark of the request path runs (briefly, in this JVM) with each provider and
 * completes requests; the benchmark itself fails if any reply carries an error.
 */
class HotPathBenchmarkTest {
    @Test
    void everyOperationIsServedThroughTheVirtqueue() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(HotPathBenchmark.class.getName())
            .param("provider", "memory", "passthrough", "fixed")
            .forks(0)
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(300))
            .shouldFailOnError(true)
            .build()).run();
        assertEquals(21, results.size(), "one result per operation and provider");
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0,
                r.getParams().getParam("op") + " on " + r.getParams().getParam("provider") + " served nothing");
        }
    }
}

package org.jvirtiofs.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The request path allocates nothing per request once compiled: GETATTR, READ and WRITE through
 * a real virtqueue, measured as {@code bin/bench jmh -prof gc} measures them, in a JVM of their
 * own. The provider is {@link FixedFilesystem}, which makes no objects: the memory provider's
 * transient ones (the clock's Instant, a chunk's wrapper) are usually taken away by escape
 * analysis, but not in every run, and this test is about the request path, not the compiler's
 * luck. Every object a request made would be at least 16 bytes, so a bound of a few bytes per
 * request leaves room for the odd allocation per batch or per iteration, and for nothing per
 * request: not the views a lent payload would take (a slice and its array, over 70 bytes).
 */
class HotPathAllocationTest {
    /** Less than the smallest object. */
    private static final double NOTHING = 8;

    @Test
    void getattrReadAndWriteAllocateNothingPerRequest() throws Exception {
        List<String> ops = List.of("getattr", "read-4k", "read-128k", "write-4k", "write-128k");
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(HotPathBenchmark.class.getName())
            .param("op", ops.toArray(String[]::new))
            .param("provider", "fixed")
            .forks(1)
            // long enough for C2 to compile the worker's loop and inline the request path,
            // which is what takes the per-request objects away (escape analysis)
            .warmupIterations(5)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .build()).run();
        assertEquals(ops.size(), results.size(), "one result per operation");
        StringBuilder report = new StringBuilder();
        boolean within = true;
        for (RunResult r : results) {
            String op = r.getParams().getParam("op");
            Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
            assertTrue(norm != null, "no allocation figure for " + op + ": " + r.getSecondaryResults().keySet());
            report.append(String.format("%s %.1f B/op; ", op, norm.getScore()));
            within &= norm.getScore() < NOTHING;
        }
        assertTrue(within, "bytes allocated per request, each must be under " + NOTHING + ": " + report);
    }
}

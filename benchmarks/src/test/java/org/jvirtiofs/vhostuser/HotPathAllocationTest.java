package org.jvirtiofs.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * own. Every object a request made would be at least 16 bytes, so a bound of a few bytes per
 * request leaves room for the odd allocation per batch or per iteration, and for nothing per
 * request: not the views a lent payload would take (a slice and its array, over 70 bytes).
 *
 * <p>Three providers. {@link FixedFilesystem} makes no objects, and copies with the transport's
 * {@code write(ByteBuffer)} and {@code read(ByteBuffer)}: its column is the request path alone.
 * The memory provider, the one the benchmarks are about, copies the same way from chunks it keeps
 * as buffers (no wrapper per piece), and stamps a WRITE's mtime and ctime from a clock it reads
 * without an Instant ({@code FileClock}); its GETATTR hands out the node's last reply again while
 * nothing changed. Its READ and WRITE find a chunk by index with no boxed Long ({@code ChunkMap}):
 * measured 64 MiB into the file too, where a TreeMap's key would be a new Long. Passthrough's READ
 * and WRITE take the transport's re-pointed views ({@code positionedBuffers}) for preadv and
 * pwritev; its GETATTR makes records of its own (the statx result, the Attr) and is not measured.
 */
class HotPathAllocationTest {
    /** Less than the smallest object. */
    private static final double NOTHING = 8;
    /** 64 MiB into the file: the memory provider's chunk 1,024, past the Longs Java keeps boxed. */
    private static final long FAR = 64L << 20;

    @Test
    void getattrReadAndWriteAllocateNothingPerRequest() throws Exception {
        Map<String, Double> perRequest = new LinkedHashMap<>();
        perRequest.putAll(allocation("fixed", "getattr", "read-4k", "read-128k", "write-4k", "write-128k"));
        perRequest.putAll(allocation("memory", "getattr", "read-4k", "read-128k", "write-4k", "write-128k"));
        perRequest.putAll(allocation("memory", FAR, "read-128k", "write-128k"));
        perRequest.putAll(allocation("passthrough", "read-4k", "read-128k", "write-4k", "write-128k"));
        assertTrue(perRequest.values().stream().allMatch(bytes -> bytes < NOTHING),
            "bytes allocated per request, each must be under " + NOTHING + ": " + perRequest);
    }

    /** Bytes allocated per request by each of {@code ops} on {@code provider}, keyed "provider op". */
    private static Map<String, Double> allocation(String provider, String... ops) throws Exception {
        return allocation(provider, 0, ops);
    }

    /** The same at {@code offset} into the file, keyed "provider op at offset" unless it is 0. */
    private static Map<String, Double> allocation(String provider, long offset, String... ops) throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
            .include(HotPathBenchmark.class.getName())
            .param("op", ops)
            .param("provider", provider)
            .param("offset", Long.toString(offset))
            .forks(1)
            // long enough for C2 to compile the worker's loop and inline the request path,
            // which is what takes the per-request objects away (escape analysis)
            .warmupIterations(3)
            .warmupTime(TimeValue.seconds(1))
            .measurementIterations(2)
            .measurementTime(TimeValue.seconds(1))
            .addProfiler(GCProfiler.class)
            .shouldFailOnError(true)
            .build()).run();
        assertEquals(ops.length, results.size(), "one result per operation");
        Map<String, Double> perRequest = new LinkedHashMap<>();
        for (RunResult r : results) {
            String op = r.getParams().getParam("op");
            Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
            assertTrue(norm != null, "no allocation figure for " + op + ": " + r.getSecondaryResults().keySet());
            perRequest.put(provider + " " + op + (offset == 0 ? "" : " at " + offset), norm.getScore());
        }
        return perRequest;
    }
}

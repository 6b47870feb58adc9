package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;
import org.junit.jupiter.api.Test;

class StatsReportTest {
    private static final ShareStats BEFORE = new ShareStats(Map.of("LOOKUP", 10L, "WRITE", 2L), Map.of(), 0, 2048,
            8_000, 60_000, 70_000, 0, true, 0);
    private static final ShareStats NOW = new ShareStats(Map.of("LOOKUP", 30L, "WRITE", 4L, "INIT", 1L),
            Map.of("ENOENT", 5L), 1536, 4096, 16_383, 262_143, 310_000, 1, true, 1);

    @Test
    void totalsListEveryFigureAndTheOpcodesAndErrnosSorted() {
        assertEquals("""
                connected    yes
                in flight    1
                swaps        1
                requests     35
                read         1.50 KiB
                written      4.00 KiB
                latency p50  16.4 µs
                latency p99  262 µs
                latency max  310 µs

                OPCODE  REQUESTS
                INIT    1
                LOOKUP  30
                WRITE   4

                ERRNO   ERRORS
                ENOENT  5
                """, StatsReport.totals(NOW));
    }

    @Test
    void anIntervalShowsRatesOverIt() {
        String text = StatsReport.interval(NOW, BEFORE, 2000);
        assertTrue(text.contains("requests     35        11.5/s\n"), text);
        assertTrue(text.contains("written      4.00 KiB  1.00 KiB/s\n"), text);
        assertTrue(text.contains("read         1.50 KiB  768 B/s\n"), text);
        assertTrue(text.contains("OPCODE  REQUESTS  RATE\nINIT    1         0.50/s\nLOOKUP  30        10.0/s\n"), text);
        assertTrue(text.contains("ENOENT  5       2.50/s\n"), text);
    }

    @Test
    void noRequestsYetSaysSo() {
        ShareStats idle = new ShareStats(Map.of(), Map.of(), 0, 0, 0, 0, 0, 0, false, 0);
        assertTrue(StatsReport.totals(idle).endsWith("latency max  0\n\nno requests yet\n"));
    }

    @Test
    void statsCommandWatchesForCountReportsAndReportsUnknownShares() {
        FakeShareManager manager = new FakeShareManager();
        manager.shares.put("web", new ShareInfo("web", "memory", "", "fuse:/m", ShareState.RUNNING, "", true,
                Map.of()));
        manager.stats.put("web", NOW);
        ShareStatsCommand command = new ShareStatsCommand(manager);
        Console watched = Console.run(() -> command.stats(true, "0.05", "3", "web"));
        assertEquals(3, watched.out.split("share web at ", -1).length - 1, watched.out);
        assertTrue(watched.out.contains("RATE"), watched.out);
        assertEquals("share:stats: no share named nope\n", Console.run(() -> command.stats(false, "1", "0", "nope")).err);
        assertEquals("share:stats: --count: 'x' is not a whole number >= 0\n",
                Console.run(() -> command.stats(true, "1", "x", "web")).err);
    }
}

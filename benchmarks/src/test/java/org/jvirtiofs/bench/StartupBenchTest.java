package org.jvirtiofs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The start-up benchmark: its options, its table, and real starts of bin/jvirtiofsd with two
 * variants, each of which must reach its socket and be measured. No time is asserted: speed is
 * the benchmark's output.
 */
class StartupBenchTest {
    @TempDir
    Path tmp;

    @Test
    void optionsAreCheckedWithOneLineEach() {
        assertEquals("--starts: '0' is not a whole number > 0",
            assertThrows(IllegalArgumentException.class, () -> StartupBench.Settings.parse("--starts=0")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartupBench.Settings.parse("--repeat", "3"))
            .getMessage().startsWith("unknown option '--repeat'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StartupBench.Settings.parse("--variant"))
            .getMessage().startsWith("--variant needs a value"));
        StartupBench.Settings s = StartupBench.Settings.parse();
        assertEquals(10, s.starts());
        assertEquals(List.of(""), s.variants(), "no variant: the default start alone");
        assertEquals(List.of("", "-Xint"), StartupBench.Settings.parse("--variant=", "--variant", " -Xint ").variants());
        assertEquals(false, s.firstStarts());
        assertEquals(true, StartupBench.Settings.parse("--first-starts").firstStarts());
    }

    private static StartupBench.Start start(double wall, double cpu, double c1, double c2) {
        return new StartupBench.Start(wall, new StartupBench.Cpu(cpu, c1, c2));
    }

    @Test
    void theTableGivesMediansAndQuartilesPerVariant() {
        Map<StartupBench.Series, List<StartupBench.Start>> starts = new LinkedHashMap<>();
        starts.put(new StartupBench.Series("", false), List.of(start(1.4, 2.0, 0.4, 0.5), start(1.0, 1.8, 0.3, 0.5),
            start(1.2, 1.9, 0.3, 0.4), start(3.0, 2.2, 0.5, 0.5),
            start(1.1, 1.7, 0.2, 0.4)));
        starts.put(new StartupBench.Series("-XX:TieredStopAtLevel=1", true),
            List.of(start(0.9, 1.2, 0.2, 0)));
        String table = StartupBench.markdown(starts);
        assertTrue(table.contains("| (default) | kept | 5 | 1.200 | 1.100–1.400 | 1.900 | 0.300 | 0.500 |"), table);
        assertTrue(table.contains("| `-XX:TieredStopAtLevel=1` | first start of a build | 1 | 0.900 | 0.900–0.900 "
            + "| 1.200 | 0.200 | 0.000 |"), table);
    }

    @Test
    void realStartsOfEachVariantAreMeasuredKeptAndAsABuildsFirst() throws Exception {
        Path out = tmp.resolve("out");
        Path work = tmp.resolve("work");
        int status = StartupBench.execute("--starts", "2", "--variant", "", "--variant", "-XX:TieredStopAtLevel=1",
            "--first-starts", "--out", out.toString(), "--work", work.toString());
        assertEquals(0, status, "every start reached its socket");
        List<String> rows = Files.readAllLines(out.resolve("startup.csv"));
        assertEquals("variant,runtime,start,socket_ready_s,cpu_s,c1_cpu_s,c2_cpu_s", rows.get(0));
        assertEquals(9, rows.size(), "two starts of each variant, kept and first:\n" + rows);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.substring(row.lastIndexOf('"') + 2).split(",");
            double wall = Double.parseDouble(f[2]);
            double cpu = Double.parseDouble(f[3]);
            double c1 = Double.parseDouble(f[4]);
            double c2 = Double.parseDouble(f[5]);
            assertTrue(wall > 0 && cpu > 0 && c1 > 0 && c2 >= 0 && c1 + c2 < cpu, row);
        }
        // C1 alone: no C2 compiler thread ran
        assertTrue(rows.get(5).startsWith("\"-XX:TieredStopAtLevel=1\",kept,1,"), rows.get(5));
        assertEquals(0.0, Double.parseDouble(rows.get(5).split(",")[6]), rows.get(5));
        String table = Files.readString(out.resolve("startup.md"));
        assertTrue(table.contains("| (default) | kept | 2 |"), table);
        assertTrue(table.contains("| (default) | first start of a build | 2 |"), table);
        assertTrue(table.contains("| `-XX:TieredStopAtLevel=1` | kept | 2 |"), table);
        // a first start found nothing of an earlier start, and left a runtime and (its training,
        // awaited before the next start) a class-data archive behind
        Path runtime = work.resolve("first-start-cache/jvirtiofs/runtime");
        try (var sets = Files.list(runtime)) {
            assertEquals(1, sets.count(), "one bundle set, unpacked by the last first start");
        }
        Path cds = work.resolve("first-start-cache/jvirtiofs/cds");
        assertFalse(Files.isSymbolicLink(cds), "a first start has no archive of earlier starts");
        try (var files = Files.list(cds)) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertEquals(1, names.size(), "the last first start's archive, its training done: " + names);
            assertTrue(names.get(0).endsWith(".jsa"), names.toString());
        }
    }

    @Test
    void aStartThatNeverListensFailsTheRun() throws Exception {
        int status = StartupBench.execute("--starts", "1", "--variant", "-Xmx1k",
            "--out", tmp.resolve("out").toString(), "--work", tmp.resolve("work").toString());
        assertEquals(1, status, "a JVM that cannot start has no socket");
    }
}

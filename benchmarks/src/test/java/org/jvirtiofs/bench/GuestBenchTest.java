package org.jvirtiofs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness itself: its options, its arithmetic, and one real quick run (a TCG guest on
 * jvirtiofs, on QEMU's C virtiofsd and on virtio-9p, and the host) that must produce every phase
 * of every workload, the table and the chart. No time is asserted: speed is the benchmark's output.
 */
class GuestBenchTest {
    @TempDir
    Path tmp;

    @Test
    void optionsAreCheckedWithOneLineEach() {
        assertEquals("--repeat: 'x' is not a whole number > 0",
            assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--repeat", "x")).getMessage());
        assertEquals("--backends: 'nfs' is not one of jvirtiofs,virtiofsd,9p,host,platform",
            assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--backends=nfs")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--fast"))
            .getMessage().startsWith("unknown option '--fast'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--out"))
            .getMessage().startsWith("--out needs a value"));
        GuestBench.Settings s = GuestBench.Settings.parse("--repeat=5", "--cache", "always");
        assertEquals(5, s.repeat());
        assertEquals(List.of("always"), s.caches());
        assertEquals("none", GuestBench.cDaemonCache("never"), "QEMU's C daemon knows no cache=never");
        assertEquals("always", GuestBench.cDaemonCache("always"));
        assertEquals(List.of("jvirtiofs", "virtiofsd", "9p", "host"), s.backends(), "the platform only when asked for");
        assertFalse(s.writeback());
        assertEquals("ext4", s.shareFs());
        assertEquals(GuestBench.WORKLOADS, s.workloads());
        assertEquals("dir", GuestBench.Settings.parse("--share-fs", "dir").shareFs());
        assertEquals(List.of(), s.jvirtiofsdOptions());
        assertEquals(List.of("--warm-up=0", "--thread-pool-size=2"),
            GuestBench.Settings.parse("--jvirtiofsd-options", " --warm-up=0  --thread-pool-size=2").jvirtiofsdOptions());
        assertEquals(List.of(), s.platformShare());
        assertEquals(List.of("warm-up=0", "threads=2"),
            GuestBench.Settings.parse("--platform-share=warm-up=0 threads=2").platformShare());
        assertEquals("--platform-share: 'warm-up' is not KEY=VALUE",
            assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--platform-share", "warm-up"))
                .getMessage());
        assertEquals("--share-fs: 'tmpfs' is not one of ext4,dir",
            assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--share-fs=tmpfs")).getMessage());
        assertEquals("--share-fs takes one of ext4,dir",
            assertThrows(IllegalArgumentException.class, () -> GuestBench.Settings.parse("--share-fs=ext4,dir")).getMessage());
        assertTrue(GuestBench.Settings.parse("--writeback").writeback());
        assertTrue(new Results().markdown(GuestBench.Settings.parse("--writeback"), "test")
            .contains("Both daemons ran with -o writeback."));
    }

    @Test
    void mediansRatiosAndMarks() {
        assertEquals(2.0, Results.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, Results.median(List.of(4.0, 1.0, 2.0, 3.0)));
        Results r = new Results();
        r.add("auto", "jvirtiofs", Map.of("untar", 1.0, "seq-read", 2.0));
        r.add("auto", "virtiofsd", Map.of("untar", 2.0, "seq-read", 2.0));
        r.add("auto", "9p", Map.of("untar", 20.0, "seq-read", 1.0));
        String table = r.markdown(GuestBench.Settings.parse(), "test");
        assertTrue(table.contains("| untar | 1.000 | 2.000 | 20.0 |  | 0.50 ✓ | 20.00 ✓ |"), table);
        assertTrue(table.contains("| seq-read | 2.000 | 2.000 | 1.000 |  | 1.00 ✗ | 0.50 ✗ |"), table);
        assertFalse(table.contains("platform"), "no platform column when it did not run:\n" + table);
        r.add("auto", "platform", Map.of("untar", 1.5, "seq-read", 1.0));
        table = r.markdown(GuestBench.Settings.parse(), "test");
        assertTrue(table.contains("| phase | jvirtiofs | virtiofsd | 9p | host | platform | jvirtiofs / virtiofsd "
            + "| 9p / jvirtiofs | platform / virtiofsd |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"), table);
        assertTrue(table.contains("| untar | 1.000 | 2.000 | 20.0 |  | 1.500 | 0.50 ✓ | 20.00 ✓ | 0.75 ✓ |"), table);
        assertTrue(table.contains("| seq-read | 2.000 | 2.000 | 1.000 |  | 1.000 | 1.00 ✗ | 0.50 ✗ | 0.50 ✓ |"), table);
    }

    @Test
    void backendsAreInterleavedAndEachGoesFirstOnceInAsManyRounds() {
        List<String> backends = List.of("jvirtiofs", "virtiofsd", "9p", "host");
        assertEquals(backends, GuestBench.roundOrder(backends, 0));
        assertEquals(List.of("virtiofsd", "9p", "host", "jvirtiofs"), GuestBench.roundOrder(backends, 1));
        assertEquals(List.of("host", "jvirtiofs", "virtiofsd", "9p"), GuestBench.roundOrder(backends, 3));
        assertEquals(backends, GuestBench.roundOrder(backends, 4));
    }

    @Test
    void theTableShowsEachPhasesMedianOverTheRounds() {
        Results r = new Results();
        for (double[] round : new double[][] {{1.0, 4.0}, {3.0, 2.0}, {2.0, 9.0}}) {
            r.add("auto", "jvirtiofs", Map.of("untar", round[0]));
            r.add("auto", "virtiofsd", Map.of("untar", round[1]));
        }
        String table = r.markdown(GuestBench.Settings.parse("--repeat=3"), "test");
        assertTrue(table.contains("| untar | 2.000 | 4.000 |"), table);
        assertTrue(table.contains(" 0.50 ✓ |"), "the ratio is of the medians:\n" + table);
        assertTrue(table.contains(" 0.50 ✓ |  | 0.25, 1.50, 0.22 |\n"), "and each round's ratio beside it:\n" + table);
        assertEveryRowHasTheHeadersCells(table);
    }

    @Test
    void aSingleRoundHasNoColumnOfRounds() {
        Results r = new Results();
        r.add("auto", "jvirtiofs", Map.of("untar", 1.0));
        r.add("auto", "virtiofsd", Map.of("untar", 2.0));
        String table = r.markdown(GuestBench.Settings.parse("--repeat=1"), "test");
        assertFalse(table.contains("by round"), table);
        assertEveryRowHasTheHeadersCells(table);
    }

    /** Each table's rows, the rows under it included (socket, memory, CPU), have its header's cells. */
    private static void assertEveryRowHasTheHeadersCells(String markdown) {
        int cells = -1;
        for (String line : markdown.split("\n")) {
            if (!line.startsWith("|")) {
                cells = -1;
            } else if (cells < 0) {
                cells = line.split("\\|", -1).length;
            } else {
                assertEquals(cells, line.split("\\|", -1).length, "cells of " + line + " in\n" + markdown);
            }
        }
    }

    @Test
    void theChartDrawsOnlyTheBackendsThatRan() throws Exception {
        Results r = new Results();
        r.add("auto", "jvirtiofs", Map.of("untar", 1.0));
        r.add("auto", "virtiofsd", Map.of("untar", 2.0));
        r.add("auto", "host", Map.of("untar", 0.1));
        assertEquals(List.of("jvirtiofs", "host"), r.charted(), "no 9p in a run without it, none for the C daemon (the 1.0 line)");
        r.add("always", "9p", Map.of("untar", 30.0));
        assertEquals(List.of("jvirtiofs", "9p", "host"), r.charted());
        Path png = tmp.resolve("two.png");
        r.chart(png);
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 0);
    }

    @Test
    void jvirtiofsLogOfWhatItsGuestsAskedIsSummed() {
        String log = "12:00:01.000 INFO  Virtiofsd - guest gone: served 1 request, 0.001 s serving them (1000 us each):"
            + " INIT 1 (1000 us)\n"
            + "12:00:09.000 INFO  Virtiofsd - guest gone: served 140999 requests, 3.600 s serving them (26 us each):"
            + " LOOKUP 62272 (17 us)\n";
        Map<String, Double> served = Results.serving(log);
        assertEquals(141000.0, served.get("requests"));
        assertEquals(3.601, served.get("serving-s"), 1e-9);
        assertEquals("no 'guest gone: served ' line in jvirtiofs' log",
            assertThrows(IllegalStateException.class, () -> Results.serving("INFO serving /srv")).getMessage());
    }

    @Test
    void onlyTheChosenWorkloadsRun() throws Exception {
        Path out = tmp.resolve("chosen");
        int status = GuestBench.execute("--quick", "--repeat", "1", "--cache", "auto", "--backends", "host",
            "--workloads", "metadata", "--out", out.toString());
        assertEquals(0, status, "the run finished");
        String csv = Files.readString(out.resolve("results.csv"));
        assertTrue(csv.contains("auto,host,create,1,"), csv);
        assertTrue(csv.contains("auto,host,link-unlink,1,"), csv);
        assertFalse(csv.contains(",untar,"), "smallfiles was not asked for:\n" + csv);
        assertFalse(csv.contains(",seq-write,"), "bigfile was not asked for:\n" + csv);
    }

    @Test
    void aQuickRunMeasuresEveryPhaseOnEachBackend() throws Exception {
        Path out = tmp.resolve("out");
        int status = GuestBench.execute("--quick", "--repeat", "1", "--cache", "auto", "--out", out.toString());
        assertEquals(0, status, "every run finished");
        String csv = Files.readString(out.resolve("results.csv"));
        for (String backend : GuestBench.DEFAULT_BACKENDS) {
            for (String phase : List.of("untar", "find", "stat-all", "read-cold", "read-warm", "rm-rf", "seq-write",
                    "seq-read", "fio-randread", "fio-randwrite", "create", "rename", "chmod", "stat", "unlink", "mkdir",
                    "rmdir", "symlink-readlink", "hardlink", "link-unlink", "open-close")) {
                assertTrue(csv.contains("auto," + backend + "," + phase + ",1,"), backend + " " + phase + ":\n" + csv);
            }
        }
        assertFalse(csv.contains(",platform,"), "the platform runs only when asked for:\n" + csv);
        assertTrue(csv.contains("auto,jvirtiofs,socket-ready,1,"), csv);
        // the harness starts jvirtiofsd once first: no run carries the new build's first start
        assertTrue(csv.contains("auto,jvirtiofs,cds,1,1.0"), csv);
        assertTrue(csv.contains("auto,jvirtiofs,rss-max-mib,1,"), csv);
        assertTrue(csv.contains("auto,virtiofsd,anon-max-mib,1,"), csv);
        assertTrue(csv.contains("auto,jvirtiofs,requests,1,") && csv.contains("auto,jvirtiofs,serving-s,1,"), csv);
        assertFalse(csv.contains("auto,virtiofsd,requests,"), "only jvirtiofs counts its requests:\n" + csv);
        // QEMU's virtiofsd serves from a forked child: its CPU counts too, or this would be about 0
        for (String daemon : List.of("jvirtiofs", "virtiofsd")) {
            double cpu = value(csv, "auto," + daemon + ",cpu-s,1,");
            assertTrue(cpu > 0.05, daemon + " served a guest with " + cpu + " s of CPU:\n" + csv);
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| jvirtiofs / virtiofsd |"), md);
        assertTrue(md.contains("Each run's share: a fresh ext4 filesystem"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| untar |") && (l.endsWith(" ✓ |") || l.endsWith(" ✗ |"))),
            "9p's ratio is in the untar row:\n" + md);
        assertTrue(ImageIO.read(out.resolve("results.png").toFile()).getWidth() > 0);
        assertTrue(md.contains("| requests served in the run (jvirtiofs' count) | "), md);
    }

    private static double value(String csv, String prefix) {
        return Double.parseDouble(csv.lines().filter(l -> l.startsWith(prefix)).findFirst()
            .orElseThrow(() -> new AssertionError("no " + prefix + " in:\n" + csv)).substring(prefix.length()));
    }

    @Test
    void aQuickRunAtCacheAlwaysMeasuresBothDaemonsAndThePlatform() throws Exception {
        Path out = tmp.resolve("always");
        int status = GuestBench.execute("--quick", "--repeat", "1", "--cache", "always", "--backends",
            "jvirtiofs,virtiofsd,platform", "--workloads", "smallfiles,roundtrip", "--out", out.toString());
        assertEquals(0, status, "every run finished");
        String csv = Files.readString(out.resolve("results.csv"));
        for (String backend : List.of("jvirtiofs", "virtiofsd", "platform")) {
            for (String phase : List.of("untar", "find", "stat-all", "read-cold", "read-warm", "rm-rf", "open-close")) {
                assertTrue(csv.contains("always," + backend + "," + phase + ",1,"), backend + " " + phase + ":\n" + csv);
            }
        }
        assertFalse(csv.contains("auto,"), "only cache=always was asked for:\n" + csv);
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("### cache=always (9p: cache=loose)"), md);
        assertTrue(md.lines().anyMatch(l -> l.startsWith("| open-close |") && l.matches(".* [✓✗] \\|  \\| [0-9.]+ [✓✗] \\|")),
            "the ratios of jvirtiofs and the platform to the C daemon:\n" + md);
        assertTrue(csv.contains("always,platform,cpu-s,1,"), csv);
    }
}

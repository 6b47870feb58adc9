package org.jvirtiofs.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Phase times per cache mode and backend, their medians, and the ways they are shown. */
final class Results {
    private static final String MARK = "JVFS-BENCH: ";
    /** What the issue asks of jvirtiofs against the C daemon: at most 0.8 of its time. */
    static final double TARGET_RATIO = 0.8;
    /** Phases that are not times: shown, never compared as times. */
    private static final List<String> NOT_TIMES = List.of("socket-ready", "cds", "rss-max-mib", "anon-max-mib", "cpu-s",
        "requests", "serving-s");
    /** What jvirtiofs logs when its guest has gone: the requests it served and its time serving them. */
    static final String SERVED = "guest gone: served ";
    private static final Pattern SERVED_LINE = Pattern.compile(Pattern.quote(SERVED)
        + "(\\d+) requests?, (\\d+\\.\\d+) s serving them");
    private static final Set<String> SMALL_FILES = Set.of("untar", "find", "stat-all", "read-cold", "read-warm", "rm-rf");
    private static final Set<String> SEQUENTIAL = Set.of("seq-write", "seq-read");
    /** The backends the chart can draw, in its order, and their colours. */
    private static final List<String> CHARTED = List.of("jvirtiofs", "9p", "host", "platform");
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x7f7f7f), new Color(0x2ca02c)};
    /** The chart's width for one phase's bars, in pixels. */
    private static final int GROUP = 70;

    private final Map<String, Map<String, Map<String, List<Double>>>> runs = new LinkedHashMap<>();

    /** The JVFS-BENCH lines of a run's output; fails with the output unless the run finished. */
    static Map<String, Double> phases(String output, String backend) {
        Map<String, Double> phases = new LinkedHashMap<>();
        boolean done = false;
        for (String line : output.split("\n")) {
            int at = line.indexOf(MARK);
            if (at >= 0) {
                String[] f = line.substring(at + MARK.length()).trim().split("\\s+");
                phases.put(f[0], Double.parseDouble(f[1]));
            }
            done |= line.contains("JVFS-BENCH-DONE");
        }
        if (!done) {
            throw new IllegalStateException(backend + ": the workloads did not finish:\n" + tail(output));
        }
        return phases;
    }

    private static String tail(String text) {
        String[] lines = text.split("\n");
        return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 30), lines.length));
    }

    /**
     * From a jvirtiofs log: {@code requests} served to the guest and {@code serving-s}, the daemon's
     * time serving them (decoding, the provider's work, the reply), summed over the guests in it.
     */
    static Map<String, Double> serving(String log) {
        double requests = 0;
        double seconds = 0;
        boolean found = false;
        for (Matcher m = SERVED_LINE.matcher(log); m.find(); ) {
            requests += Double.parseDouble(m.group(1));
            seconds += Double.parseDouble(m.group(2));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no '" + SERVED + "' line in jvirtiofs' log");
        }
        return Map.of("requests", requests, "serving-s", seconds);
    }

    static String brief(Map<String, Double> phases) {
        StringBuilder b = new StringBuilder();
        phases.forEach((k, v) -> b.append(k).append('=').append(String.format(Locale.ROOT, "%.2f", v)).append(' '));
        return b.toString().trim();
    }

    void add(String cache, String backend, Map<String, Double> phases) {
        Map<String, List<Double>> byPhase = runs.computeIfAbsent(cache, c -> new LinkedHashMap<>())
            .computeIfAbsent(backend, b -> new LinkedHashMap<>());
        phases.forEach((phase, seconds) -> byPhase.computeIfAbsent(phase, p -> new ArrayList<>()).add(seconds));
    }

    static double median(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private double median(String cache, String backend, String phase) {
        return median(values(cache, backend, phase));
    }

    /** A backend's runs of a phase in a cache mode, in run order; null if it has none. */
    private List<Double> values(String cache, String backend, String phase) {
        Map<String, List<Double>> byPhase = runs.getOrDefault(cache, Map.of()).get(backend);
        return byPhase == null ? null : byPhase.get(phase);
    }

    /**
     * jvirtiofs' time over the C daemon's, round by round: the n-th run of each in a cache mode
     * came from the same round. Empty unless both ran in every round.
     */
    List<Double> roundRatios(String cache, String phase) {
        List<Double> j = values(cache, "jvirtiofs", phase);
        List<Double> v = values(cache, "virtiofsd", phase);
        if (j == null || v == null || j.size() != v.size()) {
            return List.of();
        }
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < j.size(); i++) {
            ratios.add(j.get(i) / v.get(i));
        }
        return ratios;
    }

    private Set<String> phaseNames(String cache) {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, List<Double>> byPhase : runs.getOrDefault(cache, Map.of()).values()) {
            names.addAll(byPhase.keySet());
        }
        names.removeAll(NOT_TIMES);
        return names;
    }

    /** The medians per cache mode: seconds per backend, jvirtiofs' ratio to virtiofsd and 9p's to jvirtiofs. */
    String markdown(GuestBench.Settings settings, String workload) {
        StringBuilder b = new StringBuilder();
        b.append("Medians of ").append(settings.repeat()).append(" run(s), seconds (lower is better). ")
            .append(workload).append(".").append(settings.writeback() ? " Both daemons ran with -o writeback." : "")
            .append(settings.shareFs().equals("ext4") ? " Each run's share: a fresh ext4 filesystem (loop-mounted image)."
                : " Each run's share: a fresh directory in " + settings.work() + ".")
            .append("\n");
        for (String cache : runs.keySet()) {
            // the platform's column only when it ran
            boolean platform = runs.get(cache).containsKey("platform");
            // each round's ratio too, when there were rounds to pair: the median hides their spread
            boolean rounds = phaseNames(cache).stream().anyMatch(phase -> roundRatios(cache, phase).size() > 1);
            List<String> columns = platform ? GuestBench.BACKENDS : GuestBench.DEFAULT_BACKENDS;
            b.append("\n### cache=").append(cache).append(" (9p: cache=").append(GuestBench.ninepCache(cache))
                .append(")\n\n| phase | ").append(String.join(" | ", columns))
                .append(" | jvirtiofs / virtiofsd | 9p / jvirtiofs |").append(platform ? " platform / virtiofsd |" : "")
                .append(rounds ? " jvirtiofs / virtiofsd by round |" : "")
                .append("\n|---|").append("---:|".repeat(columns.size() + (platform ? 3 : 2) + (rounds ? 1 : 0)))
                .append("\n");
            for (String phase : phaseNames(cache)) {
                double j = median(cache, "jvirtiofs", phase);
                double v = median(cache, "virtiofsd", phase);
                double p = median(cache, "9p", phase);
                b.append("| ").append(phase);
                for (String backend : columns) {
                    b.append(" | ").append(seconds(median(cache, backend, phase)));
                }
                b.append(" | ").append(targetRatio(j / v));
                double vs9p = p / j;
                String mark = "";
                if (!Double.isNaN(vs9p) && (SMALL_FILES.contains(phase) || SEQUENTIAL.contains(phase))) {
                    mark = vs9p >= (SMALL_FILES.contains(phase) ? 10 : 1) ? " ✓" : " ✗";
                }
                b.append(" | ").append(ratio(vs9p)).append(mark).append(" |");
                if (platform) {
                    b.append(" ").append(targetRatio(median(cache, "platform", phase) / v)).append(" |");
                }
                if (rounds) {
                    b.append(" ").append(String.join(", ", roundRatios(cache, phase).stream().map(Results::ratio).toList()))
                        .append(" |");
                }
                b.append("\n");
            }
            for (String other : NOT_TIMES) {
                b.append("| ").append(switch (other) {
                    case "socket-ready" -> "socket ready after start (s)";
                    case "cds" -> "daemon started from its class-data archive (1: yes, 0: a build's first start)";
                    case "rss-max-mib" -> "daemon peak RSS, guest RAM it touched included (MiB)";
                    case "anon-max-mib" -> "daemon peak private memory, RssAnon (MiB)";
                    case "cpu-s" -> "daemon CPU during the guest's run, all its threads (s)";
                    case "requests" -> "requests served in the run (jvirtiofs' count)";
                    default -> "daemon's time serving them (s), not waiting for the guest";
                });
                for (String backend : columns) {
                    double m = median(cache, backend, other);
                    b.append(" | ").append(Double.isNaN(m) ? ""
                        : String.format(Locale.ROOT, other.equals("requests") ? "%.0f" : "%.2f", m));
                }
                b.append(" |".repeat(3 + (platform ? 1 : 0) + (rounds ? 1 : 0))).append("\n");
            }
        }
        b.append("\n✓ in the virtiofsd column: jvirtiofs takes at most ").append(TARGET_RATIO)
            .append(" of the C daemon's time in the same run. In the 9p column: small-file phases at least 10 times")
            .append(" faster than 9p, sequential I/O at least as fast.\n");
        return b.toString();
    }

    private static String seconds(double s) {
        return Double.isNaN(s) ? "" : String.format(Locale.ROOT, s < 10 ? "%.3f" : "%.1f", s);
    }

    /** A ratio to the C daemon's time, marked against the target. */
    private static String targetRatio(double r) {
        return ratio(r) + (Double.isNaN(r) ? "" : r <= TARGET_RATIO ? " ✓" : " ✗");
    }

    private static String ratio(double r) {
        return Double.isNaN(r) || Double.isInfinite(r) ? "" : String.format(Locale.ROOT, "%.2f", r);
    }

    /** Every run: cache, backend, phase, run, seconds. */
    String csv() {
        StringBuilder b = new StringBuilder("cache,backend,phase,run,value\n");
        runs.forEach((cache, byBackend) -> byBackend.forEach((backend, byPhase) -> byPhase.forEach((phase, values) -> {
            for (int i = 0; i < values.size(); i++) {
                b.append(cache).append(',').append(backend).append(',').append(phase).append(',').append(i + 1)
                    .append(',').append(values.get(i)).append('\n');
            }
        })));
        return b.toString();
    }

    /** The backends the chart draws, in its order: those of jvirtiofs, 9p, host and platform that ran. */
    List<String> charted() {
        List<String> charted = new ArrayList<>();
        for (String backend : CHARTED) {
            if (runs.values().stream().anyMatch(byBackend -> byBackend.containsKey(backend))) {
                charted.add(backend);
            }
        }
        return charted;
    }

    /**
     * A bar chart per cache mode: each phase's median time relative to the C daemon's (1.0, the
     * dashed line), for each of jvirtiofs, 9p, the host and the platform that ran, a phase's bars
     * side by side above its name; a log scale, as 9p is tens of times slower.
     */
    void chart(Path png) throws IOException {
        List<String> caches = new ArrayList<>(runs.keySet());
        int maxPhases = caches.stream().mapToInt(c -> phaseNames(c).size()).max().orElse(1);
        int rowHeight = 360;
        int width = Math.max(900, 80 + maxPhases * GROUP);
        BufferedImage image = new BufferedImage(width, 60 + rowHeight * Math.max(1, caches.size()), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        String[] shown = charted().toArray(String[]::new);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString("time relative to QEMU's C virtiofsd (1.0 = dashed line; lower is better; log scale)", 10, 18);
        for (int i = 0; i < shown.length; i++) {
            g.setColor(COLORS[CHARTED.indexOf(shown[i])]);
            g.fillRect(width - 5 - shown.length * 85 + i * 85, 8, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(shown[i], width + 11 - shown.length * 85 + i * 85, 18);
        }
        int bar = Math.min(18, (GROUP - 10) / Math.max(1, shown.length));
        double lo = Math.log10(0.01);
        double hi = Math.log10(100);
        for (int row = 0; row < caches.size(); row++) {
            String cache = caches.get(row);
            int top = 40 + row * rowHeight;
            int plotTop = top + 20;
            int plotBottom = top + rowHeight - 70;
            g.setColor(Color.BLACK);
            g.drawString("cache=" + cache, 10, top + 12);
            for (double tick : new double[] {0.01, 0.1, 1, 10, 100}) {
                int y = y(tick, lo, hi, plotTop, plotBottom);
                g.setColor(new Color(0xdddddd));
                g.drawLine(50, y, width - 10, y);
                g.setColor(Color.BLACK);
                g.drawString(tick >= 1 ? String.valueOf((int) tick) : String.valueOf(tick), 10, y + 4);
            }
            int x = 60;
            for (String phase : phaseNames(cache)) {
                int first = x + (GROUP - shown.length * bar) / 2;
                double base = median(cache, "virtiofsd", phase);
                for (int i = 0; i < shown.length; i++) {
                    double r = median(cache, shown[i], phase) / base;
                    if (!Double.isNaN(r) && r > 0 && !Double.isInfinite(r)) {
                        int yv = y(Math.max(0.01, Math.min(100, r)), lo, hi, plotTop, plotBottom);
                        int y1 = y(1, lo, hi, plotTop, plotBottom);
                        g.setColor(COLORS[CHARTED.indexOf(shown[i])]);
                        g.fillRect(first + i * bar, Math.min(yv, y1), bar - 2, Math.max(1, Math.abs(y1 - yv)));
                    }
                }
                g.setColor(Color.BLACK);
                Graphics2D rotated = (Graphics2D) g.create();
                // the name ends under the middle of its bars, slanting down to the left
                int middle = x + GROUP / 2;
                rotated.rotate(Math.toRadians(-40), middle, plotBottom + 8);
                rotated.drawString(phase, middle - rotated.getFontMetrics().stringWidth(phase), plotBottom + 8);
                rotated.dispose();
                x += GROUP;
            }
            int y1 = y(1, lo, hi, plotTop, plotBottom);
            g.setColor(Color.BLACK);
            g.setStroke(new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 4}, 0));
            g.drawLine(50, y1, width - 10, y1);
            g.setStroke(new BasicStroke());
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static int y(double value, double lo, double hi, int top, int bottom) {
        double f = (Math.log10(value) - lo) / (hi - lo);
        return (int) Math.round(bottom - f * (bottom - top));
    }
}

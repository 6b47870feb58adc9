package org.jvirtiofs.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/bench startup}: how long {@code bin/jvirtiofsd} takes from being started until its
 * vhost-user socket exists (the moment QEMU or libvirt may connect), and the CPU time it spent
 * on the way, the JIT compilers' shares apart. Each variant is a set of extra JVM options; the
 * variants' starts are interleaved, so a machine whose speed drifts treats them alike. The
 * socket is polled from this JVM without starting processes: a shell loop that forks
 * {@code sleep} competes for the same cores and makes a start look up to 0.8 s slower.
 */
public final class StartupBench {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", ".")).toAbsolutePath().normalize();
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Settings settings;

    private StartupBench(Settings settings) {
        this.settings = settings;
    }

    /**
     * What one invocation measures: starts per variant, the variants (extra JVM options), whether
     * each variant's first start of a build is measured too, where to write.
     */
    record Settings(int starts, List<String> variants, boolean firstStarts, Path out, Path work) {
        static Settings parse(String... args) {
            int starts = 10;
            boolean firstStarts = false;
            List<String> variants = new ArrayList<>();
            Path out = null;
            Path work = Path.of(System.getProperty("user.home"), ".cache", "jvirtiofs", "bench-startup");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
                if (a.equals("--first-starts")) {
                    firstStarts = true;
                    continue;
                }
                if (!List.of("--starts", "--variant", "--out", "--work").contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + a + "'\n" + usage());
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(key + " needs a value\n" + usage());
                    }
                    value = args[++i];
                }
                switch (key) {
                    case "--starts" -> starts = GuestBench.Settings.positive(key, value);
                    case "--variant" -> variants.add(value.trim());
                    case "--out" -> out = Path.of(value).toAbsolutePath();
                    default -> work = Path.of(value).toAbsolutePath();
                }
            }
            if (variants.isEmpty()) {
                variants.add("");
            }
            if (out == null) {
                out = ROOT.resolve("target/bench/startup-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Settings(starts, List.copyOf(variants), firstStarts, out, work);
        }

        static String usage() {
            return "usage: bin/bench startup [--starts N (10)] [--variant 'JVM options']... [--first-starts] [--out DIR]"
                + " [--work DIR]\n"
                + "  each --variant adds a set of options to JVIRTIOFS_JAVA_OPTS; '' is the default start\n"
                + "  --first-starts: also each variant's first start of a new build (no kept runtime, no class-data archive)";
        }
    }

    /** One start: seconds until the socket existed, and the CPU spent by then. */
    record Start(double wall, Cpu cpu) {
    }

    /** CPU seconds a process's threads had run: all of them, the C1 and the C2 compiler threads. */
    record Cpu(double all, double c1, double c2) {
    }

    /**
     * What a row measures: a variant's JVM options, started with the runtime a clean stop kept
     * (how a daemon restarts), or as the first start of a new build, which unpacks and installs
     * the bundles afresh (launcher/boot).
     */
    record Series(String options, boolean firstStart) {
        String label() {
            return (options.isEmpty() ? "the default options" : "'" + options + "'")
                + (firstStart ? ", first start of a build" : "");
        }
    }

    public static void main(String... args) throws Exception {
        Command.exit(execute(args));
    }

    /** Runs the benchmark; returns the exit status: 0, 1 when a start failed, 2 for bad options. */
    static int execute(String... args) throws Exception {
        return Command.execute(args, Settings::parse, settings -> new StartupBench(settings).run());
    }

    private int run() throws Exception {
        Files.createDirectories(settings.work());
        Files.createDirectories(settings.out());
        Map<Series, List<Start>> starts = new LinkedHashMap<>();
        for (String variant : settings.variants()) {
            starts.put(new Series(variant, false), new ArrayList<>());
            if (settings.firstStarts()) {
                starts.put(new Series(variant, true), new ArrayList<>());
            }
        }
        try {
            for (String variant : settings.variants()) {
                // untimed: a new JAR or new options first train the class-data archive (bin/launch),
                // and leave the runtime later starts restore
                System.out.printf("bench: warming up %s%n", new Series(variant, false).label());
                start(settings.work(), new Series(variant, false));
            }
            awaitTrainings(cacheHome(System.getenv("XDG_CACHE_HOME")));
            for (int i = 1; i <= settings.starts(); i++) {
                for (Map.Entry<Series, List<Start>> series : starts.entrySet()) {
                    Start s = start(settings.work(), series.getKey());
                    series.getValue().add(s);
                    System.out.printf(Locale.ROOT, "bench: start %d/%d, %s: socket after %.3f s, %.3f s CPU%n",
                        i, settings.starts(), series.getKey().label(), s.wall(), s.cpu().all());
                }
            }
        } catch (IllegalStateException e) {
            System.out.println("bench: " + e.getMessage());
            return 1;
        }
        String table = markdown(starts);
        Files.writeString(settings.out().resolve("startup.md"), table);
        Files.writeString(settings.out().resolve("startup.csv"), csv(starts));
        System.out.println();
        System.out.print(table);
        System.out.println("\nbench: wrote " + settings.out().resolve("startup.md") + " and startup.csv");
        return 0;
    }

    private static Start start(Path work, Series series) throws IOException, InterruptedException {
        Path share = work.resolve("share");
        Files.createDirectories(share);
        Path socket = work.resolve("startup.sock");
        Files.deleteIfExists(socket);
        Path log = work.resolve("startup.log");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
            "--socket-path=" + socket, "-o", "source=" + share)
            .redirectErrorStream(true).redirectOutput(log.toFile());
        String base = pb.environment().getOrDefault("JVIRTIOFS_JAVA_OPTS", "");
        pb.environment().put("JVIRTIOFS_JAVA_OPTS", (base + " " + series.options()).trim());
        Path firstStartCache = work.resolve("first-start-cache");
        if (series.firstStart()) {
            // nothing kept, as a new build meets it: no runtime, no class-data archive
            GuestBench.deleteTree(firstStartCache);
            Files.createDirectories(firstStartCache);
            pb.environment().put("XDG_CACHE_HOME", firstStartCache.toString());
        }
        long t0 = System.nanoTime();
        Process p = pb.start();
        try {
            while (!Files.exists(socket) && p.isAlive() && System.nanoTime() - t0 < TIMEOUT_NANOS) {
                Thread.sleep(2);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            if (!Files.exists(socket)) {
                throw new IllegalStateException("jvirtiofsd (" + series.label() + ") "
                    + (p.isAlive() ? "had no socket after 60 s" : "exited before its socket appeared")
                    + ":\n" + Files.readString(log));
            }
            return new Start(wall, cpuSeconds(p.pid()));
        } finally {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
            }
            if (series.firstStart()) {
                awaitTrainings(firstStartCache); // it archives into that cache, after the daemon
            }
        }
    }

    /**
     * Starts bin/jvirtiofsd once on an empty share under {@code work}, until its socket, and waits
     * for the class-data training that start leaves: later starts of this build then restore the
     * kept runtime and map the archive, as every start but a build's first does. Returns the
     * seconds to the socket.
     */
    static double untimedStart(Path work) throws IOException, InterruptedException {
        double wall = start(work, new Series("", false)).wall();
        awaitTrainings(cacheHome(System.getenv("XDG_CACHE_HOME")));
        return wall;
    }

    /**
     * Waits (up to 2 minutes) for the class-data trainings under {@code cacheHome} that earlier
     * starts left (bin/launch starts one once its daemon has run 5 s or ended), so that none runs
     * beside a timed start.
     */
    private static void awaitTrainings(Path cacheHome) throws IOException, InterruptedException {
        Path cds = cacheHome.resolve("jvirtiofs/cds");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (Files.isDirectory(cds) && System.nanoTime() < deadline) {
            try (DirectoryStream<Path> training = Files.newDirectoryStream(cds, "*.training")) {
                if (!training.iterator().hasNext()) {
                    return;
                }
            }
            Thread.sleep(100);
        }
    }

    private static Path cacheHome(String xdgCacheHome) {
        return xdgCacheHome != null && !xdgCacheHome.isEmpty() ? Path.of(xdgCacheHome)
            : Path.of(System.getProperty("user.home"), ".cache");
    }

    /**
     * CPU seconds the process's threads have run, from each thread's schedstat (nanoseconds), and
     * of them the C1 and the C2 compiler threads'. bin/jvirtiofsd execs the JVM, so the pid is the JVM's.
     */
    static Cpu cpuSeconds(long pid) throws IOException {
        long all = 0;
        long c1 = 0;
        long c2 = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                long ns;
                String name;
                try {
                    ns = Long.parseLong(Files.readString(task.resolve("schedstat")).trim().split("\\s+")[0]);
                    name = Files.readString(task.resolve("comm")).trim();
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                all += ns;
                if (name.startsWith("C1 Compiler")) {
                    c1 += ns;
                } else if (name.startsWith("C2 Compiler")) {
                    c2 += ns;
                }
            }
        }
        return new Cpu(all / 1e9, c1 / 1e9, c2 / 1e9);
    }

    static String markdown(Map<Series, List<Start>> starts) {
        StringBuilder sb = new StringBuilder();
        sb.append("bin/jvirtiofsd from start to its socket; medians, seconds (lower is better).\n\n");
        sb.append("| JVM options | runtime | starts | socket ready | quartiles | CPU by then | of it C1 | of it C2 |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<Series, List<Start>> e : starts.entrySet()) {
            List<Double> wall = e.getValue().stream().map(Start::wall).sorted().toList();
            sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f–%.3f | %.3f | %.3f | %.3f |%n",
                e.getKey().options().isEmpty() ? "(default)" : "`" + e.getKey().options() + "`",
                e.getKey().firstStart() ? "first start of a build" : "kept", wall.size(),
                Results.median(wall), wall.get((wall.size() - 1) / 4), wall.get(3 * (wall.size() - 1) / 4),
                Results.median(e.getValue().stream().map(st -> st.cpu().all()).toList()),
                Results.median(e.getValue().stream().map(st -> st.cpu().c1()).toList()),
                Results.median(e.getValue().stream().map(st -> st.cpu().c2()).toList())));
        }
        return sb.toString();
    }

    private static String csv(Map<Series, List<Start>> starts) {
        StringBuilder sb = new StringBuilder("variant,runtime,start,socket_ready_s,cpu_s,c1_cpu_s,c2_cpu_s\n");
        for (Map.Entry<Series, List<Start>> e : starts.entrySet()) {
            int i = 1;
            for (Start s : e.getValue()) {
                sb.append(String.format(Locale.ROOT, "\"%s\",%s,%d,%.4f,%.4f,%.4f,%.4f%n",
                    e.getKey().options().replace("\"", "\"\""), e.getKey().firstStart() ? "first" : "kept", i++,
                    s.wall(), s.cpu().all(), s.cpu().c1(), s.cpu().c2()));
            }
        }
        return sb.toString();
    }
}

package org.jvirtiofs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jvirtiofs.itests.vm.GuestImage;
import org.jvirtiofs.itests.vm.GuestVm;

/**
 * {@code bin/bench guest}: the same guest workloads, in one run, on jvirtiofs (bin/jvirtiofsd,
 * passthrough), QEMU's C virtiofsd, QEMU's virtio-9p and the host's own filesystem, for each
 * cache mode, the backends interleaved and repeated; prints and writes the medians, the ratios
 * to the C daemon, a markdown table and a PNG chart. Progress and results go to standard output:
 * this is a command line tool.
 */
public final class GuestBench {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", ".")).toAbsolutePath().normalize();
    private static final String VIRTIOFSD = "/usr/lib/qemu/virtiofsd";
    /**
     * What a run can measure: jvirtiofsd, QEMU's C daemon, virtio-9p, the host's own filesystem,
     * and the platform (bin/jvirtiofs serving a share from its configuration), which runs only
     * when asked for.
     */
    static final List<String> BACKENDS = List.of("jvirtiofs", "virtiofsd", "9p", "host", "platform");
    /**
     * Both daemons serve the guest's locks alike: in the guest kernel, the C daemon's default
     * (jvirtiofsd's is host locks). Said to both, in the option spelling they share.
     */
    static final List<String> LOCKS_IN_THE_GUEST = List.of("-o", "no_posix_lock", "-o", "no_flock");
    static final List<String> DEFAULT_BACKENDS = BACKENDS.subList(0, 4);
    static final List<String> WORKLOADS = List.of("smallfiles", "bigfile", "metadata", "roundtrip");

    private final Settings settings;
    private final Path work;
    private final Results results = new Results();
    private int failures;

    private GuestBench(Settings settings) throws IOException {
        this.settings = settings;
        this.work = settings.work();
        Files.createDirectories(work);
    }

    /** What one invocation measures. */
    record Settings(int repeat, List<String> caches, List<String> backends, List<String> workloads, boolean quick,
                    boolean writeback, String shareFs, List<String> jvirtiofsdOptions, List<String> platformShare,
                    Path out, Path work) {
        static Settings parse(String... args) {
            int repeat = 3;
            List<String> caches = List.of("auto", "always");
            List<String> backends = DEFAULT_BACKENDS;
            List<String> workloads = WORKLOADS;
            String shareFs = "ext4";
            boolean quick = false;
            boolean writeback = false;
            List<String> jvirtiofsdOptions = List.of();
            List<String> platformShare = List.of();
            Path out = null;
            Path work = Path.of(System.getProperty("user.home"), ".cache", "jvirtiofs", "bench");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
                String key = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
                if (!List.of("--repeat", "--cache", "--backends", "--workloads", "--quick", "--writeback", "--out",
                        "--work", "--share-fs", "--jvirtiofsd-options", "--platform-share", "--help").contains(key)) {
                    throw new IllegalArgumentException("unknown option '" + a + "'\n" + usage());
                }
                boolean flag = key.equals("--quick") || key.equals("--writeback") || key.equals("--help");
                if (value == null && !flag) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(key + " needs a value\n" + usage());
                    }
                    value = args[++i];
                }
                switch (key) {
                    case "--repeat" -> repeat = positive(key, value);
                    case "--cache" -> caches = list(key, value, List.of("auto", "always", "never"));
                    case "--backends" -> backends = list(key, value, BACKENDS);
                    case "--workloads" -> workloads = list(key, value, WORKLOADS);
                    case "--share-fs" -> shareFs = one(key, value, List.of("ext4", "dir"));
                    case "--quick" -> quick = true;
                    case "--writeback" -> writeback = true;
                    case "--jvirtiofsd-options" -> jvirtiofsdOptions = List.of(value.trim().split("\\s+"));
                    case "--platform-share" -> platformShare = keyValues(key, value);
                    case "--out" -> out = Path.of(value).toAbsolutePath();
                    case "--work" -> work = Path.of(value).toAbsolutePath();
                    case "--help" -> throw new IllegalArgumentException(usage());
                    default -> throw new IllegalArgumentException("unknown option '" + a + "'\n" + usage());
                }
            }
            if (out == null) {
                out = ROOT.resolve("target/bench/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            }
            return new Settings(repeat, caches, backends, workloads, quick, writeback, shareFs, jvirtiofsdOptions,
                platformShare, out, work);
        }

        static String usage() {
            return "usage: bin/bench guest [--repeat N (3)] [--cache auto,always(,never)] [--backends jvirtiofs,virtiofsd,9p,host(,platform)]\n"
                + "                        [--workloads smallfiles,bigfile,metadata,roundtrip] [--quick] [--writeback]\n"
                + "                        [--share-fs ext4|dir] [--jvirtiofsd-options 'OPT ...']\n"
                + "                        [--platform-share 'KEY=VALUE ...'] [--out DIR] [--work DIR]";
        }

        /** Share keys for the platform's configuration, e.g. warm-up=0: each KEY=VALUE. */
        static List<String> keyValues(String key, String value) {
            List<String> pairs = List.of(value.trim().split("\\s+"));
            for (String pair : pairs) {
                if (!pair.matches("[a-z][a-z0-9.-]*=\\S+")) {
                    throw new IllegalArgumentException(key + ": '" + pair + "' is not KEY=VALUE");
                }
            }
            return pairs;
        }

        static int positive(String key, String value) {
            try {
                int n = Integer.parseInt(value == null ? "" : value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number > 0");
        }

        private static String one(String key, String value, List<String> allowed) {
            if (list(key, value, allowed).size() != 1) {
                throw new IllegalArgumentException(key + " takes one of " + String.join(",", allowed));
            }
            return value;
        }

        private static List<String> list(String key, String value, List<String> allowed) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + " needs a value: one or more of " + String.join(",", allowed));
            }
            List<String> items = Arrays.asList(value.split(","));
            for (String item : items) {
                if (!allowed.contains(item)) {
                    throw new IllegalArgumentException(key + ": '" + item + "' is not one of " + String.join(",", allowed));
                }
            }
            return items;
        }
    }

    public static void main(String... args) throws Exception {
        Command.exit(execute(args));
    }

    /** Runs the benchmark; returns the exit status: 0, 1 when a run failed, 2 for bad options. */
    static int execute(String... args) throws Exception {
        return Command.execute(args, Settings::parse, settings -> new GuestBench(settings).run());
    }

    private int run() throws Exception {
        Workload workload = Workload.prepare(work, settings.quick());
        System.out.println("bench: " + workload.describe());
        GuestImage image = workload.image(GuestImage.withScriptText(workload.script(settings.workloads())));
        System.out.printf("bench: %d repeat(s) of %s, cache %s%s, backends %s%n", settings.repeat(), settings.workloads(),
            settings.caches(), settings.writeback() ? " with writeback" : "", settings.backends());
        if (settings.backends().contains("jvirtiofs")) {
            // bin/bench has just built a new JAR: without this, round 1 would carry the build's first
            // start (no kept runtime, no class-data archive, the archive's training beside the guest)
            double ready = StartupBench.untimedStart(work);
            System.out.printf(Locale.ROOT, "bench: jvirtiofsd started once, untimed (socket after %.2f s), so that"
                + " every run's daemon restores its kept runtime and class-data archive%n", ready);
        }
        for (int r = 0; r < settings.repeat(); r++) {
            for (String cache : settings.caches()) {
                for (String backend : roundOrder(settings.backends(), r)) {
                    long t0 = System.nanoTime();
                    try {
                        Map<String, Double> phases = runOnce(backend, cache, image, workload);
                        results.add(cache, backend, phases);
                        System.out.printf("bench: round %d/%d cache=%s %-9s %5.1f s  %s%n", r + 1, settings.repeat(),
                            cache, backend, (System.nanoTime() - t0) / 1e9, Results.brief(phases));
                    } catch (IllegalStateException | AssertionError e) {
                        // one failed run costs its numbers, not the others': it is reported and left out
                        failures++;
                        System.out.printf("bench: round %d/%d cache=%s %-9s FAILED: %s%n", r + 1, settings.repeat(), cache,
                            backend, e.getMessage().lines().findFirst().orElse(""));
                        Files.writeString(work.resolve("failed-" + cache + "-" + backend + "-" + (r + 1) + ".txt"),
                            e.getMessage());
                    }
                    write(workload);
                }
            }
        }
        String table = write(workload);
        System.out.println();
        System.out.println(table);
        System.out.println("bench: wrote " + settings.out().resolve("results.md") + ", results.csv and results.png"
            + (failures > 0 ? "; " + failures + " run(s) failed, their reasons are in " + work : ""));
        return failures > 0 ? 1 : 0;
    }

    /** The results so far: written after every run, so a long benchmark's numbers survive its end. */
    private String write(Workload workload) throws IOException {
        Files.createDirectories(settings.out());
        String table = results.markdown(settings, workload.describe());
        Files.writeString(settings.out().resolve("results.md"), table);
        Files.writeString(settings.out().resolve("results.csv"), results.csv());
        results.chart(settings.out().resolve("results.png"));
        return table;
    }

    /**
     * One guest (or host) run of the workloads on a fresh, empty share (by default on a fresh
     * ext4 filesystem of its own, see {@link ShareDisk}); returns phase → seconds.
     */
    private Map<String, Double> runOnce(String backend, String cache, GuestImage image, Workload workload)
            throws IOException, InterruptedException {
        Path share = work.resolve("share-" + backend);
        ShareDisk.unmountIfMounted(share);
        deleteTree(share);
        Files.createDirectories(share);
        Path console = work.resolve("console-" + backend + ".log");
        try (ShareDisk disk = settings.shareFs().equals("ext4")
                ? ShareDisk.mount(work.resolve("share.img"), share, settings.quick() ? 512 : 2048) : null) {
            return switch (backend) {
                case "host" -> Results.phases(workload.onHost(share, settings.workloads()), "host");
                case "9p" -> Results.phases(GuestVm.ninep(image, share, "bench",
                        "trans=virtio,version=9p2000.L,msize=512000,cache=" + ninepCache(cache), console)
                    .memory(Workload.GUEST_MIB).timeout(3600).withoutUnmount().run().text(), "9p");
                default -> daemon(backend, cache, share, image, console);
            };
        } finally {
            deleteTree(share);
        }
    }

    /**
     * jvirtiofs' summary of what the guest asked, which it logs once it sees the guest gone (QEMU
     * has exited when the run returns, the daemon notices a moment later); waited for up to 15 s.
     */
    private static String awaitServed(Path log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String text;
        do {
            text = readQuietly(log);
            if (text.contains(Results.SERVED)) {
                return text;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new IllegalStateException("jvirtiofs did not log what the guest asked ('" + Results.SERVED + "'):\n"
            + text);
    }

    /** 9p's nearest cache mode: loose caches like cache=always, mmap like auto, none like never. */
    static String ninepCache(String cache) {
        return switch (cache) {
            case "always" -> "loose";
            case "auto" -> "mmap";
            default -> "none";
        };
    }

    /**
     * The backends in the order round {@code round} (from 0) runs them: interleaved, and rotated
     * by one each round, so that each goes first once in as many rounds as there are backends and
     * a drift of the machine spreads evenly over them.
     */
    static List<String> roundOrder(List<String> backends, int round) {
        List<String> order = new ArrayList<>(backends);
        java.util.Collections.rotate(order, -round);
        return order;
    }

    /** QEMU's C daemon spells cache=never "none" (jvirtiofsd takes both, as Rust virtiofsd does). */
    static String cDaemonCache(String cache) {
        return cache.equals("never") ? "none" : cache;
    }

    private Map<String, Double> daemon(String backend, String cache, Path share, GuestImage image, Path console)
            throws IOException, InterruptedException {
        Path socket = work.resolve(backend + ".sock");
        Files.deleteIfExists(socket);
        Path log = work.resolve(backend + ".log");
        ProcessBuilder pb;
        if (backend.equals("platform")) {
            pb = platform(share, socket, cache);
        } else {
            List<String> command = new ArrayList<>(backend.equals("jvirtiofs")
                ? List.of("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(), "--socket-path=" + socket,
                    "-o", "source=" + share, "-o", "cache=" + cache)
                : List.of(VIRTIOFSD, "--socket-path=" + socket, "-o", "source=" + share, "-o",
                    "cache=" + cDaemonCache(cache)));
            command.addAll(LOCKS_IN_THE_GUEST);
            if (settings.writeback()) {
                // both daemons take QEMU's option spelling
                command.addAll(List.of("-o", "writeback"));
            }
            if (backend.equals("jvirtiofs")) {
                command.addAll(settings.jvirtiofsdOptions()); // e.g. --warm-up=0, to compare jvirtiofsd's own options
            }
            pb = new ProcessBuilder(command);
        }
        long t0 = System.nanoTime();
        Process p = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            while (!Files.exists(socket) && p.isAlive()) {
                Thread.sleep(5);
            }
            double ready = (System.nanoTime() - t0) / 1e9;
            if (!Files.exists(socket)) {
                throw new IllegalStateException(backend + " exited before its socket appeared:\n" + Files.readString(log));
            }
            // mapped at the JVM's start, or never: whether this run was a build's first start
            boolean archived = backend.equals("jvirtiofs") && mapsClassDataArchive(p.pid());
            DaemonWatch rss = new DaemonWatch(p.pid());
            rss.start();
            String text = new GuestVm(image, socket, "bench", console).memory(Workload.GUEST_MIB).timeout(3600)
                .withoutUnmount().daemonLog(() -> readQuietly(log)).run().text();
            Map<String, Double> phases = new LinkedHashMap<>(Results.phases(text, backend));
            phases.put("socket-ready", ready);
            rss.finish();
            phases.put("rss-max-mib", rss.maxMiB);
            phases.put("anon-max-mib", rss.maxAnonMiB);
            phases.put("cpu-s", rss.cpuSeconds);
            if (backend.equals("jvirtiofs")) {
                phases.put("cds", archived ? 1.0 : 0.0);
                phases.putAll(Results.serving(awaitServed(log)));
            }
            return phases;
        } finally {
            // the platform's shell stops the framework at the end of its input, the daemons at SIGTERM
            p.getOutputStream().close();
            if (!backend.equals("platform") || !p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroy();
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /** Whether process {@code pid} maps a class-data archive bin/launch made (in its jvirtiofs/cds cache). */
    static boolean mapsClassDataArchive(long pid) throws IOException {
        try (java.util.stream.Stream<String> maps = Files.lines(Path.of("/proc/" + pid + "/maps"))) {
            return maps.anyMatch(line -> line.contains("/jvirtiofs/cds/") && line.endsWith(".jsa"));
        }
    }

    /**
     * bin/jvirtiofs with one share, configured as an operator would (a file in its etc folder):
     * the platform's whole path, its share manager, provider gate and statistics included, and
     * its warm-up. Its shell reads the process's input, which stays open until the run ends.
     */
    private ProcessBuilder platform(Path share, Path socket, String cache) throws IOException {
        Path etc = work.resolve("platform-etc");
        deleteTree(etc);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("org.jvirtiofs.share-bench.cfg"), "source = " + share + "\nsocket = " + socket
            + "\ncache = " + cache + "\nposix-locks = false\nflock = false\n" + (settings.writeback() ? "writeback = true\n" : "")
            + settings.platformShare().stream().map(kv -> kv.replaceFirst("=", " = ") + "\n").collect(Collectors.joining()));
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofs").toString());
        pb.environment().put("JVIRTIOFS_ETC", etc.toString());
        return pb;
    }

    /**
     * The daemon's peak memory and its CPU time as the guest ran, sampled every 200 ms over its
     * process and its children (QEMU's virtiofsd does its work in a forked child): resident in
     * total, which counts the pages of guest RAM the daemon touched (shared, the guest's own),
     * and private (RssAnon: heap, stacks, the daemon's own data).
     */
    private static final class DaemonWatch extends Thread {
        private final long pid;
        private volatile boolean done;
        private volatile double maxMiB;
        private volatile double maxAnonMiB;
        /** The daemon's CPU time (all threads, user and system, its children's too) when the watch began. */
        private final double cpuAtStart;
        /** The most CPU time seen so far: a child that exits takes its own with it until it is reaped. */
        private volatile double cpuMax;
        private volatile double cpuSeconds;

        DaemonWatch(long pid) {
            super("rss-watch");
            setDaemon(true);
            this.pid = pid;
            this.cpuAtStart = cpuSeconds(pids());
        }

        /** The daemon and its descendants, now. */
        private List<Long> pids() {
            List<Long> pids = new ArrayList<>(List.of(pid));
            ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
            return pids;
        }

        /**
         * The CPU time processes have used so far, in seconds: their threads' and their reaped
         * children's (QEMU's virtiofsd serves from a child that exits with the guest).
         */
        private static double cpuSeconds(List<Long> pids) {
            long ticks = 0;
            for (long p : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + p + "/stat"));
                    // after the command's closing parenthesis: state is field 3, utime..cstime 14..17
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    for (int i = 11; i <= 14; i++) {
                        ticks += Long.parseLong(f[i]);
                    }
                } catch (IOException | RuntimeException e) {
                    // the process ended: its time is in its parent's children's time once reaped
                }
            }
            return ticks / 100.0; // USER_HZ, 100 on Linux whatever the kernel's tick rate
        }

        @Override
        public void run() {
            while (!done) {
                sample();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void sample() {
            long rss = 0;
            long anon = 0;
            List<Long> pids = pids();
            for (long p : pids) {
                try {
                    for (String line : Files.readAllLines(Path.of("/proc/" + p + "/status"))) {
                        if (line.startsWith("VmRSS:")) {
                            rss += kib(line);
                        } else if (line.startsWith("RssAnon:")) {
                            anon += kib(line);
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // the process ended
                }
            }
            cpuMax = Math.max(cpuMax, cpuSeconds(pids));
            maxMiB = Math.max(maxMiB, rss / 1024.0);
            maxAnonMiB = Math.max(maxAnonMiB, anon / 1024.0);
        }

        private static long kib(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }

        void finish() {
            sample();
            cpuSeconds = cpuMax - cpuAtStart;
            done = true;
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            Process p = new ProcessBuilder("rm", "-rf", "--one-file-system", dir.toString()).inheritIO().start();
            try {
                if (p.waitFor() != 0) {
                    throw new IOException("rm -rf " + dir + " failed");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted removing " + dir, e);
            }
        }
    }

    /** Runs a command, failing with its output unless it exits 0; returns its standard output. */
    static String exec(List<String> command, Path dir) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        Process p = pb.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (p.waitFor() != 0) {
            throw new UncheckedIOException(new IOException(String.join(" ", command) + " failed:\n" + out));
        }
        return out;
    }
}

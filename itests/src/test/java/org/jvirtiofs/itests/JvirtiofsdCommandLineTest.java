package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jvirtiofsd answers like virtiofsd: help, version, capabilities, and one line for wrong options. */
class JvirtiofsdCommandLineTest {
    static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run jvirtiofsd(String... args) throws Exception {
        return jvirtiofsd(Map.of(), args);
    }

    static Run jvirtiofsd(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("jvirtiofsd", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jvirtiofsd did not exit");
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }

    @Test
    void laterStartsMapTheClassesATrainingStartArchived(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Run first = jvirtiofsd(Map.of("XDG_CACHE_HOME", cache.toString()), "--version");
        assertEquals(0, first.exitCode(), first.stderr());
        assertEquals("", first.stderr(), "the training is silent");
        // the first start leaves a training start behind, which archives what it loaded
        Path cds = cache.resolve("jvirtiofs/cds");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (archives(cds).isEmpty() || Files.exists(cds.resolve(archives(cds).get(0) + ".training"))) {
            assertTrue(System.nanoTime() < deadline, "no class-data archive in " + cds + " after 120 s");
            Thread.sleep(200);
        }
        assertEquals(1, archives(cds).size(), archives(cds).toString());
        Path classes = tmp.resolve("classes.log");
        Run later = jvirtiofsd(Map.of("XDG_CACHE_HOME", cache.toString(),
                "JVIRTIOFS_JAVA_OPTS", "-Xlog:class+load:file=" + classes), "--version");
        assertEquals(0, later.exitCode(), later.stderr());
        assertTrue(later.stdout().startsWith("jvirtiofsd 0."), later.stdout());
        long archived;
        try (var lines = Files.lines(classes)) {
            archived = lines.filter(l -> l.contains("source: shared objects file (top)")).count();
        }
        // --version starts the framework, SCR and the jvirtiofs bundles: well over a thousand classes
        assertTrue(archived > 1000, archived + " classes came from the archive");
    }

    @Test
    void theTrainingStartWaitsForTheDaemonsOwnStartAndYieldsTheCpu(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("cache");
        Path trainings = Files.createDirectories(tmp.resolve("t")); // the training's TMPDIR
        Path socket = tmp.resolve("sock");
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
                "--socket-path=" + socket, "-o", "source=" + Files.createDirectories(tmp.resolve("src")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(Map.of("XDG_CACHE_HOME", cache.toString(), "TMPDIR", trainings.toString()));
        Process daemon = pb.start(); // bash execs into the JVM: the same process
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket)) {
                assertTrue(daemon.isAlive(), "the daemon ended before its socket");
                assertTrue(System.nanoTime() < deadline, "no socket after 30 s");
                assertEquals(List.of(), trainingsIn(trainings), "a training start beside the daemon's own");
                Thread.sleep(20);
            }
            assertEquals(List.of(), trainingsIn(trainings), "a training start beside the daemon's own");
        } finally {
            daemon.destroy();
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
        }
        // with the daemon gone the training starts at once, at the lowest priority, and leaves an archive
        Path cds = cache.resolve("jvirtiofs/cds");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<Integer> nices = new ArrayList<>();
        while (archives(cds).isEmpty() || Files.exists(cds.resolve(archives(cds).get(0) + ".training"))) {
            assertTrue(System.nanoTime() < deadline, "no class-data archive in " + cds + " after 120 s");
            // the JVM itself: `nice -n 19 java ...` shows the same arguments for the moment before
            // it lowers its priority and execs the JVM
            ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().filter(c -> c.endsWith("/java")).isPresent()
                            && p.info().commandLine().filter(c -> c.contains("-XX:ArchiveClassesAtExit=" + trainings))
                            .isPresent())
                    .forEach(p -> nice(p.pid()).ifPresent(nices::add));
            Thread.sleep(20);
        }
        assertFalse(nices.isEmpty(), "the training JVM was never seen running");
        assertTrue(nices.stream().allMatch(n -> n == 19), "the training's nice values: " + nices);
    }

    /**
     * --rlimit-nofile as in the Rust virtiofsd: N sets both limits to N (where the daemon would
     * otherwise raise them), 0 keeps those the daemon was started with, and a limit the kernel
     * cannot give is one clear line and exit status 1, before any socket.
     */
    @Test
    void rlimitNofileSetsTheOpenFilesLimit(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        assertEquals("4096 4096", openFilesOfADaemonServing(tmp, "", "--rlimit-nofile=4096"));
        assertEquals("3000 3000", openFilesOfADaemonServing(tmp, "ulimit -n 3000; ", "--rlimit-nofile", "0"));

        long nrOpen = Long.parseLong(Files.readAllLines(Path.of("/proc/sys/fs/nr_open")).get(0));
        Path socket = tmp.resolve("refused.sock");
        Run refused = jvirtiofsd("--socket-path=" + socket, "--shared-dir=" + src, "--rlimit-nofile=" + (nrOpen + 1));
        assertEquals(1, refused.exitCode(), refused.stderr());
        assertEquals("jvirtiofsd: --rlimit-nofile=" + (nrOpen + 1) + ": cannot set the open-files limit: "
                + "setrlimit(\"RLIMIT_NOFILE " + (nrOpen + 1) + ": above the kernel's ceiling, fs.nr_open = " + nrOpen
                + "\"): EINVAL (Invalid argument)", refused.stderr().strip());
        assertFalse(Files.exists(socket), "a socket though the limit was refused");
    }

    /**
     * --socket-group as in virtiofsd: the socket's group, and connecting (which needs write)
     * for owner and group only; a group that does not exist is one clear line and exit status 1,
     * before any socket.
     */
    @Test
    void aSocketGroupsMembersMayConnect(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path socket = tmp.resolve("group.sock");
        Process daemon = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
                "--socket-path=" + socket, "--shared-dir=" + src, "--warm-up=0", "--socket-group=daemon")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket) || !"rwxrwx---".equals(permissions(socket))) {
                assertTrue(daemon.isAlive(), "the daemon ended");
                assertTrue(System.nanoTime() < deadline, "socket " + socket + ": " + (Files.exists(socket)
                        ? permissions(socket) : "none") + " after 30 s");
                Thread.sleep(20);
            }
            assertEquals("daemon", Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .group().getName());
        } finally {
            daemon.destroy();
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
        }

        Path refusedSocket = tmp.resolve("refused.sock");
        Run refused = jvirtiofsd("--socket-path=" + refusedSocket, "--shared-dir=" + src,
                "--socket-group=no-such-group-here");
        assertEquals(1, refused.exitCode(), refused.stderr());
        assertEquals("jvirtiofsd: --socket-group=no-such-group-here: no such group", refused.stderr().strip());
        assertFalse(Files.exists(refusedSocket), "a socket though its group does not exist");
    }

    /**
     * A second daemon given a socket path a running one serves ends with one line naming the
     * first one's pid, and leaves the first one's socket alone; the first removes its socket and
     * pid file when it stops. Until 2026-12-08 the second replaced the live socket.
     */
    @Test
    void aSecondDaemonOnTheSameSocketIsRefused(@TempDir Path tmp) throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path socket = tmp.resolve("one.sock");
        Path pidFile = tmp.resolve("one.sock.pid");
        Process first = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString(),
                "--socket-path=" + socket, "--shared-dir=" + src, "--warm-up=0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket)) {
                assertTrue(first.isAlive(), "the first daemon ended");
                assertTrue(System.nanoTime() < deadline, "no socket after 30 s");
                Thread.sleep(20);
            }
            Object inode = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            String pid = Files.readString(pidFile).strip();
            assertTrue(ProcessHandle.of(Long.parseLong(pid)).isPresent(), "pid file names " + pid);

            Run second = jvirtiofsd("--socket-path=" + socket, "--shared-dir=" + src, "--warm-up=0");
            assertEquals(1, second.exitCode(), second.stderr());
            String[] lines = second.stderr().strip().split("\n");
            assertEquals("jvirtiofsd: cannot listen on " + socket + ": another daemon (pid " + pid
                    + ") serves it (it holds " + pidFile + "): stop that one first, or use another socket path",
                    lines[lines.length - 1]);
            assertTrue(first.isAlive(), "the first daemon ended");
            assertEquals(inode, Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                    .fileKey(), "the first daemon's socket was replaced");
            assertEquals(pid, Files.readString(pidFile).strip());
        } finally {
            first.destroy();
            assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
        }
        assertFalse(Files.exists(socket), "the socket outlived its daemon");
        assertFalse(Files.exists(pidFile), "the pid file outlived its daemon");
    }

    private static String permissions(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS));
    }

    /**
     * The soft and hard open-files limit ({@code /proc/PID/limits}) of a jvirtiofsd started by
     * bash after {@code shell} with {@code options}, once its socket is there, as its share's
     * start line says them too.
     */
    private static String openFilesOfADaemonServing(Path tmp, String shell, String... options) throws Exception {
        Path socket = tmp.resolve("limits.sock");
        Path log = tmp.resolve("limits.log");
        Files.deleteIfExists(socket);
        String command = shell + "exec /bin/bash " + ROOT.resolve("bin/jvirtiofsd") + " --socket-path=" + socket
                + " --shared-dir=" + tmp.resolve("src") + " --warm-up=0 " + String.join(" ", options);
        Process daemon = new ProcessBuilder("/bin/bash", "-c", command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start(); // bash execs into the JVM: the same process
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(socket)) {
                assertTrue(daemon.isAlive(), "the daemon ended before its socket: " + Files.readString(log));
                assertTrue(System.nanoTime() < deadline, "no socket after 30 s");
                Thread.sleep(20);
            }
            String limits = Files.readAllLines(Path.of("/proc/" + daemon.pid() + "/limits")).stream()
                    .filter(l -> l.startsWith("Max open files")).findFirst().orElseThrow()
                    .substring("Max open files".length()).strip().replaceAll(" +files$", "").replaceAll(" +", " ");
            String soft = limits.substring(0, limits.indexOf(' '));
            assertTrue(Files.readString(log).contains("open-files limit " + soft + " "), Files.readString(log));
            return limits;
        } finally {
            daemon.destroy();
            assertTrue(daemon.waitFor(30, TimeUnit.SECONDS), "the daemon did not stop on SIGTERM");
        }
    }

    private static List<String> trainingsIn(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("jvirtiofs-cds.")).toList();
        }
    }

    /** A process's nice value, field 19 of /proc/PID/stat; empty if it ended meanwhile. */
    private static Optional<Integer> nice(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" "); // from field 3 on
            return Optional.of(Integer.parseInt(fields[16]));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    @Test
    void classDataSharingCanBeTurnedOff(@TempDir Path tmp) throws Exception {
        Run run = jvirtiofsd(Map.of("XDG_CACHE_HOME", tmp.toString(), "JVIRTIOFS_CDS", "off"), "--version");
        assertEquals(0, run.exitCode(), run.stderr());
        Thread.sleep(1000);
        assertFalse(Files.exists(tmp.resolve("jvirtiofs/cds")), "no class-data archive");
    }

    @Test
    void aDaemonDelaysC2AndTheUsersOptionsStillWin(@TempDir Path tmp) throws Exception {
        // bin/bench startup measures why; this keeps the options there, and overridable
        Run daemon = jvirtiofsd(Map.of("XDG_CACHE_HOME", tmp.toString(), "JVIRTIOFS_CDS", "off",
                "JVIRTIOFS_JAVA_OPTS", "-XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, daemon.exitCode(), daemon.stderr());
        assertTrue(daemon.stdout().matches("(?s).*\\bTier4InvocationThreshold += 15000\\b.*"), daemon.stdout());
        assertTrue(daemon.stdout().matches("(?s).*\\bTier4BackEdgeThreshold += 120000\\b.*"), daemon.stdout());
        Run mine = jvirtiofsd(Map.of("XDG_CACHE_HOME", tmp.toString(), "JVIRTIOFS_CDS", "off",
                "JVIRTIOFS_JAVA_OPTS", "-XX:Tier4InvocationThreshold=5000 -XX:+PrintFlagsFinal"), "--version");
        assertEquals(0, mine.exitCode(), mine.stderr());
        assertTrue(mine.stdout().matches("(?s).*\\bTier4InvocationThreshold += 5000\\b.*"), mine.stdout());
    }

    @Test
    void anOlderJavaIsRefusedByItsReleaseFileWithoutStartingIt(@TempDir Path tmp) throws Exception {
        // a java that fails if run: the release file must be enough
        Path home = fakeJava(tmp.resolve("jdk8"), "exit 99");
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Someone\"\nJAVA_VERSION=\"1.8.0_392\"\n");
        Run run = jvirtiofsd(Map.of("JAVA_HOME", home.toString()), "--version");
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("Java 17 or newer is needed, but " + home.resolve("bin/java") + " is Java 8"),
                run.stderr());
    }

    @Test
    void aJavaWithoutAReleaseFileIsAsked(@TempDir Path tmp) throws Exception {
        Path home = fakeJava(tmp.resolve("jdk11"), "echo '    java.specification.version = 11' >&2");
        Run run = jvirtiofsd(Map.of("JAVA_HOME", home.toString()), "--version");
        assertEquals(1, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("is Java 11"), run.stderr());
    }

    /** A Java home whose bin/java is the given shell script. */
    private static Path fakeJava(Path home, String script) throws Exception {
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\n" + script + "\n");
        assertTrue(java.toFile().setExecutable(true));
        return home;
    }

    private static List<String> archives(Path cds) throws Exception {
        if (!Files.isDirectory(cds)) {
            return List.of();
        }
        try (var files = Files.list(cds)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".jsa")).sorted().toList();
        }
    }

    @Test
    void printCapabilitiesGivesLibvirtItsJson() throws Exception {
        Run run = jvirtiofsd("--print-capabilities");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("{\n  \"type\": \"fs\"\n}\n", run.stdout());
        assertEquals("", run.stderr());
    }

    @Test
    void helpAndVersionPrintAndSucceed() throws Exception {
        Run help = jvirtiofsd("--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().startsWith("Usage: jvirtiofsd"), help.stdout());
        Run version = jvirtiofsd("-V");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("jvirtiofsd 0."), version.stdout());
    }

    @Test
    void wrongOptionsGiveOneClearLineAndExitTwo() throws Exception {
        for (String[] args : List.of(new String[] {"--bogus"}, new String[] {"--socket-path=/tmp/x"},
                new String[] {"--shared-dir=/srv", "--cache=sometimes", "--socket-path=/tmp/x"},
                new String[] {"--shared-dir=/srv", "--socket-path=/tmp/x", "--sandbox=namespace"})) {
            Run run = jvirtiofsd(args);
            assertEquals(2, run.exitCode(), List.of(args) + ": " + run.stderr());
            assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
            assertTrue(run.stderr().startsWith("jvirtiofsd: "), run.stderr());
            assertEquals("", run.stdout());
        }
    }
}

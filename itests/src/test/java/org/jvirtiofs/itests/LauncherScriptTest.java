package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jvirtiofs, run as a user runs it: a shell that lists every bundle active, on JDK 17 and 25, quietly. */
class LauncherScriptTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final Pattern LB_LINE = Pattern.compile("^\\s*(\\d+)\\|(\\w+)\\s*\\|\\s*(\\d+)\\|(\\S+)");
    private static final List<String> FRAGMENTS = List.of("com.github.jnr.jffi.native", "org.jvirtiofs.jnr.dynamicimport");

    record Run(int exitCode, String stdout, String stderr) {
    }

    @Test
    void pipedLbListsEveryBundleActiveOnJdk17WithoutWarnings() throws Exception {
        assertShellListsEveryBundleActive(System.getProperty("jvirtiofs.jdk17"));
    }

    @Test
    void pipedLbListsEveryBundleActiveOnJdk25WithoutWarnings() throws Exception {
        assertShellListsEveryBundleActive(System.getProperty("jvirtiofs.jdk25"));
    }

    @Test
    void withoutJavaTheScriptSaysSoInOneLineAndFails(@TempDir Path bin) throws Exception {
        // a PATH holding only the tools the script needs before it looks for Java
        for (String tool : List.of("bash", "dirname", "readlink")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of(tool.equals("bash") ? "/bin" : "/usr/bin", tool));
        }
        Run run = run(Map.of("PATH", bin.toString()), "");
        assertEquals(1, run.exitCode(), run.stderr());
        assertEquals(1, run.stderr().strip().lines().count(), run.stderr());
        assertTrue(run.stderr().contains("no Java found"), run.stderr());
    }

    @Test
    void aFirstBuildShowsEachModuleAndTheDownloadsAndOnFailureMavensLastWords(@TempDir Path bin) throws Exception {
        // Maven as a first build on a fresh machine talks: modules, ~1000 downloads, the verdict
        StringBuilder talk = new StringBuilder("echo '[INFO] Scanning for projects...'\n");
        talk.append("echo '[INFO] Building jvirtiofs provider SPI 0.1.0-SNAPSHOT                         [3/16]'\n");
        talk.append("for i in $(seq 1 250); do echo \"[INFO] Downloaded from central: https://repo/a$i.jar\"; done\n");
        talk.append("echo '[INFO] Building jvirtiofs launcher 0.1.0-SNAPSHOT                            [15/16]'\n");
        Path mvn = bin.resolve("mvn");
        Files.writeString(mvn, "#!/bin/bash\n" + talk + "if [ -n \"$FAIL\" ]; then echo '[ERROR] COMPILATION ERROR :'; "
                + "echo '[INFO] BUILD FAILURE'; exit 1; fi\necho '[INFO] BUILD SUCCESS'\n");
        mvn.toFile().setExecutable(true);
        Run ok = build(bin, Map.of());
        assertEquals(0, ok.exitCode(), ok.stderr());
        assertEquals(List.of("build: building jvirtiofs with Maven (log: " + ROOT.resolve("launcher/target/build.log") + ")",
                "build:   jvirtiofs provider SPI 0.1.0-SNAPSHOT                         [3/16]",
                "build:   100 artifacts downloaded", "build:   200 artifacts downloaded",
                "build:   jvirtiofs launcher 0.1.0-SNAPSHOT                            [15/16]",
                "build: done (250 artifacts downloaded)"), ok.stderr().lines().toList());

        Run failed = build(bin, Map.of("FAIL", "1"));
        assertEquals(1, failed.exitCode(), failed.stderr());
        assertTrue(failed.stderr().contains("build: Maven failed; the end of "), failed.stderr());
        assertTrue(failed.stderr().contains("[ERROR] COMPILATION ERROR :"), "Maven's own words:\n" + failed.stderr());
    }

    private static Run build(Path bin, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("launcher/bin/build").toString());
        pb.environment().put("PATH", bin + ":/usr/bin:/bin");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "launcher/bin/build did not end");
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), err);
    }

    private void assertShellListsEveryBundleActive(String javaHome) throws Exception {
        assertTrue(Files.isExecutable(Path.of(javaHome, "bin", "java")), "no JDK at " + javaHome);
        Run run = run(Map.of("JAVA_HOME", javaHome, "PATH", "/usr/bin:/bin"), "lb -s\n");
        assertEquals(0, run.exitCode(), run.stdout() + run.stderr());
        List<String> states = new ArrayList<>();
        for (String line : run.stdout().split("\n")) {
            Matcher m = LB_LINE.matcher(line);
            if (m.find()) {
                String name = m.group(4);
                String expected = FRAGMENTS.contains(name) ? "Resolved" : "Active";
                if (!m.group(2).equals(expected)) {
                    states.add(name + " " + m.group(2));
                }
                states.add("seen " + name);
            }
        }
        assertTrue(states.contains("seen org.jvirtiofs.posix"), run.stdout());
        assertTrue(states.stream().allMatch(s -> s.startsWith("seen ")), "bundles not active: " + states);
        String all = run.stdout() + run.stderr();
        assertFalse(all.toLowerCase().contains("warn"), "warnings on the console:\n" + all);
        assertFalse(all.contains("Exception"), "exceptions on the console:\n" + all);
    }

    private static Run run(Map<String, String> env, String stdin) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofs").toString());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("HOME", System.getProperty("user.home"));
        Path err = Files.createTempFile("jvirtiofs-stderr", ".txt");
        try {
            pb.redirectError(err.toFile());
            Process p = pb.start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bin/jvirtiofs did not stop at the end of its input");
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(err));
        } finally {
            Files.delete(err);
        }
    }
}

package org.jvirtiofs.devfuse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs real programs in a directory: the kit the provider tests share (published in this
 * module's test-jar) to compare a mount with a reference directory. {@code ops.sh} does real
 * work with coreutils, tar, xattr tools, flock and python3; {@code describe.sh} prints everything
 * observable about a tree.
 */
public final class Programs {
    private Programs() {
    }

    /** Runs a script from the test resources with {@code dir} as working directory. */
    public static String runScript(String resource, Path dir) throws IOException, InterruptedException {
        Path script = Files.createTempFile("jvirtiofs-", ".sh");
        try (InputStream in = Programs.class.getResourceAsStream(resource)) {
            Files.write(script, in.readAllBytes());
            return run(dir, "bash", script.toString());
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /**
     * Runs a script in the reference directory and in the directory under test and fails with
     * the first differing lines (both outputs are kept under target/ for a full diff).
     */
    public static void assertSameOutput(String resource, Path reference, Path underTest)
            throws IOException, InterruptedException {
        String expected = runScript(resource, reference);
        String actual = runScript(resource, underTest);
        if (expected.equals(actual)) {
            return;
        }
        Path keep = Files.createDirectories(Path.of("target", "differences"));
        Files.writeString(keep.resolve(resource + ".expected"), expected);
        Files.writeString(keep.resolve(resource + ".actual"), actual);
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        int i = 0;
        while (i < Math.min(e.length, a.length) && e[i].equals(a[i])) {
            i++;
        }
        StringBuilder msg = new StringBuilder(resource + " differs from the reference at line " + (i + 1) + ":\n");
        for (int k = Math.max(0, i - 3); k < Math.min(Math.max(e.length, a.length), i + 6); k++) {
            msg.append(k < e.length ? "  expected| " + e[k] : "  expected| <end>").append('\n');
            msg.append(k < a.length ? "  actual  | " + a[k] : "  actual  | <end>").append('\n');
        }
        throw new AssertionError(msg.append("(full outputs in ").append(keep.toAbsolutePath()).append(")"));
    }

    /** Runs a command in {@code dir}, stdout and stderr together, within two minutes. */
    public static String run(Path dir, String... command) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jvirtiofs-", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close();
            boolean ended = p.waitFor(120, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly();
            }
            assertTrue(ended, String.join(" ", command) + " did not finish in " + dir + ":\n" + Files.readString(out));
            return Files.readString(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}

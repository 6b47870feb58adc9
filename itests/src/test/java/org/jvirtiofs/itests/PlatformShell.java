package org.jvirtiofs.itests;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code bin/jvirtiofs} as an operator runs it: configuration from an etc folder, commands typed
 * into its Gogo shell while it runs, its console collected. Closing it ends the input, which
 * stops the platform; one that does not stop within a minute is killed.
 */
public final class PlatformShell implements AutoCloseable {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    private final Process process;
    private final OutputStream input;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private final Path log;

    private PlatformShell(Process process, Path log) {
        this.process = process;
        this.input = process.getOutputStream();
        this.log = log;
        this.reader = new Thread(() -> drain(process.getInputStream()), "jvirtiofs-stdout");
        reader.start();
    }

    /** Starts the platform with FileInstall watching {@code etc}; its stderr (the log) goes to {@code log}. */
    public static PlatformShell start(Path etc, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofs").toString());
        pb.environment().put("JVIRTIOFS_ETC", etc.toString());
        pb.redirectError(log.toFile());
        return new PlatformShell(pb.start(), log);
    }

    /** Types one command line. */
    public void send(String command) throws IOException {
        input.write((command + "\n").getBytes(StandardCharsets.UTF_8));
        input.flush();
    }

    /** Everything the shell printed so far. */
    public String output() {
        return output.toString();
    }

    /** The platform's log so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Waits for {@code condition}, failing with the log's tail after {@code seconds}. */
    public void waitFor(BooleanSupplier condition, int seconds, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; log:\n" + tail(log(), 40));
            }
            Thread.sleep(100);
        }
    }

    /** Whether the platform ended by itself within {@code seconds}, its input still open. */
    public boolean endsWithin(int seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS);
    }

    /** The exit code, once closed. */
    public int exitValue() {
        return process.exitValue();
    }

    /** Ends the input (the platform stops) and waits; kills it after a minute. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            input.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        reader.join(5_000);
    }

    private void drain(InputStream in) {
        byte[] buf = new byte[4096];
        try {
            for (int n; (n = in.read(buf)) > 0;) {
                output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            output.append("\n[stdout: ").append(e).append(']');
        }
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}

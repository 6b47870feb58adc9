package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/jvirtiofsd answers like virtiofsd: help, version, capabilities, and one line for wrong options. */
class JvirtiofsdCommandLineTest {
    static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    record Run(int exitCode, String stdout, String stderr) {
    }

    static Run jvirtiofsd(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash", ROOT.resolve("bin/jvirtiofsd").toString()));
        command.addAll(List.of(args));
        Path err = Files.createTempFile("jvirtiofsd", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "jvirtiofsd did not exit");
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.delete(err);
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

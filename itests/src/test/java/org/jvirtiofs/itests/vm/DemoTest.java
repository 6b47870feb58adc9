package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main command: bin/demo serves a host directory to a VM that reads it and writes back. */
class DemoTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    @Test
    void theDemoVmReadsTheHostDirectoryAndWritesAFileTheHostSees() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("note.txt"), "written on the host\n");
        Path out = tmp.resolve("demo.out");
        Process demo = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/demo").toString(), "--batch", share.toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        demo.getOutputStream().close();
        assertTrue(demo.waitFor(5, TimeUnit.MINUTES), "bin/demo did not finish");
        String printed = Files.readString(out);
        assertEquals(0, demo.exitValue(), printed);
        assertTrue(printed.contains("written on the host"), "the guest did not show the host's file:\n" + printed);
        assertTrue(Files.readString(share.resolve("from-the-guest.txt")).startsWith("hello from the guest"));
        assertTrue(printed.contains("JVFS-RESULT: PASS"), printed);
    }
}

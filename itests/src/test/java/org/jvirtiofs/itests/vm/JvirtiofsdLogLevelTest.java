package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --log-level (or -o log_level=) sets what jvirtiofsd logs, as virtiofsd's does. */
class JvirtiofsdLogLevelTest {
    @TempDir
    Path tmp;

    @Test
    void infoIsTheDefaultAndWarnSilencesIt() throws Exception {
        try (JvirtiofsdProcess d = JvirtiofsdProcess.start(tmp.resolve("a.sock"), tmp.resolve("a.log"),
                "--provider=memory")) {
            assertTrue(d.awaitLine("INFO", 10) != null, d.log());
        }
        try (JvirtiofsdProcess d = JvirtiofsdProcess.start(tmp.resolve("b.sock"), tmp.resolve("b.log"),
                "--provider=memory", "--log-level=warn")) {
            Thread.sleep(1000); // what info would have logged is logged by now
            assertFalse(d.log().contains("INFO"), d.log());
        }
        try (JvirtiofsdProcess d = JvirtiofsdProcess.start(tmp.resolve("c.sock"), tmp.resolve("c.log"),
                "--provider=memory", "-o", "cache=auto,log_level=debug")) {
            assertTrue(d.awaitLine("DEBUG", 10) != null, d.log());
        }
    }
}

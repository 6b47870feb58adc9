package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's way: a share is a .cfg file in bin/jvirtiofs's configuration folder. Dropping the
 * file in mounts the share, editing it applies, deleting it unmounts; share:list shows it.
 */
class ShareFileInstallTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final long WAIT_MILLIS = 30_000;

    @Test
    void aCfgFileInTheEtcFolderMountsTheShareAndItsEditsAndRemovalApply(@TempDir Path tmp) throws Exception {
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path source = Files.createDirectory(tmp.resolve("source"));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        Files.writeString(source.resolve("hello.txt"), "hello from the host");
        Path cfg = etc.resolve("org.jvirtiofs.share-web.cfg");
        String config = "source = " + source + "\nmountpoint = " + mnt + "\ncache = never\n";
        Files.writeString(cfg, config);

        ProcessBuilder pb = new ProcessBuilder("/bin/bash", ROOT.resolve("bin/jvirtiofs").toString());
        pb.environment().put("JVIRTIOFS_ETC", etc.toString());
        pb.redirectError(tmp.resolve("stderr.txt").toFile());
        Process p = pb.start();
        StringBuffer out = new StringBuffer();
        Thread reader = drain(p.getInputStream(), out);
        try (OutputStream shell = p.getOutputStream()) {
            waitFor(() -> readable(mnt.resolve("hello.txt")), "the share mounted from " + cfg, tmp);
            assertEquals("hello from the host", Files.readString(mnt.resolve("hello.txt")));

            shell.write("share:list\n".getBytes(StandardCharsets.UTF_8));
            shell.flush();
            waitFor(() -> out.toString().contains("web"), "share:list showing web", tmp);
            assertTrue(out.toString().lines().anyMatch(l -> l.startsWith("web") && l.contains("RUNNING")), out.toString());

            Files.writeString(cfg, config + "readonly = true\n");
            waitFor(() -> !canWrite(mnt.resolve("new.txt")), "readonly applied from the edited file", tmp);
            assertThrows(IOException.class, () -> Files.writeString(mnt.resolve("other.txt"), "x"));

            Files.delete(cfg);
            waitFor(() -> !Files.exists(mnt.resolve("hello.txt")), "the share unmounted when its file went", tmp);
        } finally {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                new ProcessBuilder("umount", "-l", mnt.toString()).start().waitFor();
            }
            reader.join(5_000);
        }
        assertEquals(0, p.exitValue(), Files.readString(tmp.resolve("stderr.txt")));
        assertTrue(Files.exists(source.resolve("hello.txt")), "the host files stay");
        assertFalse(Files.exists(source.resolve("new.txt")));
    }

    private static Thread drain(InputStream in, StringBuffer into) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0;) {
                    into.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                into.append("\n[stdout: ").append(e).append(']');
            }
        }, "jvirtiofs-stdout");
        t.start();
        return t;
    }

    private static void waitFor(BooleanSupplier condition, String what, Path tmp) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; stderr:\n"
                        + Files.readString(tmp.resolve("stderr.txt")));
            }
            Thread.sleep(100);
        }
    }

    private static boolean readable(Path p) {
        try {
            Files.readString(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean canWrite(Path p) {
        try {
            Files.writeString(p, "x");
            Files.delete(p);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

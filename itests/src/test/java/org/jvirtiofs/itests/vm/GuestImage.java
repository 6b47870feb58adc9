package org.jvirtiofs.itests.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A bootable test guest: Debian's 6.1 kernel and a busybox initramfs carrying one test script,
 * built (and cached) by launcher/guest/build-guest.
 *
 * @param kernel what QEMU's -kernel boots: the uncompressed ELF kernel (PVH entry), which saves the
 *     bzImage's decompression under TCG, or the bzImage where there is none
 * @param initrd the initramfs with the script as /jvfs/test.sh
 * @param release the kernel release, e.g. 6.1.0-56-amd64
 * @param fsbattery the guest's battery program, static, to run on the host for comparison
 * @param vmlinuz the compressed bzImage, for boot loaders (a disk image's syslinux)
 */
public record GuestImage(Path kernel, Path initrd, String release, Path fsbattery, Path vmlinuz) {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    /** Builds (or finds cached) the guest for the script in the test resources. */
    public static GuestImage withScript(String resource) throws IOException, InterruptedException {
        Path script = Files.createTempFile("jvirtiofs-guest-", ".sh");
        try (InputStream in = GuestImage.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no guest script " + resource);
            }
            Files.write(script, in.readAllBytes());
            return build(script);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** Builds (or finds cached) the guest for a script given as text. */
    public static GuestImage withScriptText(String text) throws IOException, InterruptedException {
        Path script = Files.createTempFile("jvirtiofs-guest-", ".sh");
        try {
            Files.writeString(script, text);
            return build(script);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static GuestImage build(Path script) throws IOException, InterruptedException {
        Path err = Files.createTempFile("jvirtiofs-build-guest", ".log");
        try {
            Process p = new ProcessBuilder("bash", ROOT.resolve("launcher/guest/build-guest").toString(),
                    "--script", script.toString()).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new AssertionError("build-guest failed:\n" + Files.readString(err));
            }
            Map<String, String> keys = new HashMap<>();
            out.lines().filter(l -> l.contains("=")).forEach(l -> keys.put(l.substring(0, l.indexOf('=')),
                    l.substring(l.indexOf('=') + 1)));
            return new GuestImage(Path.of(keys.get("kernel")), Path.of(keys.get("initrd")), keys.get("kernel_release"),
                    Path.of(keys.get("fsbattery")), Path.of(keys.get("vmlinuz")));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}

package org.jvirtiofs.fs.overlay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The layer trees of the differential tests, built by {@code overlay/build-layers.sh}, and the
 * shell tools the tests drive: the kernel's overlayfs, the scripts, and layer checksums.
 */
final class Layers {
    static final Path SCRIPTS = Path.of("src/test/resources/overlay").toAbsolutePath();

    final Path base;

    private Layers(Path base) {
        this.base = base;
    }

    /** Fresh layers under target/. */
    static Layers build() throws Exception {
        Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
        Path base = Files.createTempDirectory(target, "overlay-");
        run(List.of("sh", SCRIPTS.resolve("build-layers.sh").toString(), base.toString()));
        return new Layers(base);
    }

    Path path(String name) {
        return base.resolve(name);
    }

    /** A copy of the starting upper {@code u0}, with its whiteouts and xattrs. */
    Path upperCopy(String name) throws Exception {
        run(List.of("cp", "-a", path("u0").toString(), path(name).toString()));
        return path(name);
    }

    /** The options of an overlay of l1:l2 under {@code upper}, writing whiteouts in {@code format}. */
    OverlayOptions options(Path upper, WhiteoutFormat format) {
        return OverlayOptions.parse(Map.of(OverlayOptions.LOWER, path("l1") + ":" + path("l2"),
                OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "never",
                OverlayOptions.WHITEOUT, format.optionValue()));
    }

    /** Mounts the kernel's overlayfs of l1:l2 under {@code upper} at {@code mnt}. */
    void mountKernel(Path upper, Path work, Path mnt) throws Exception {
        run(List.of("mount", "-t", "overlay", "overlay", "-o", "lowerdir=" + path("l1") + ":" + path("l2")
                + ",upperdir=" + upper + ",workdir=" + work + ",index=on", mnt.toString()));
    }

    static void umount(Path mnt) throws Exception {
        run(List.of("umount", mnt.toString()));
    }

    /** Runs {@code script} of the overlay scripts on {@code dir}: what it prints. */
    static String script(String script, Path dir) throws Exception {
        return run(List.of("sh", SCRIPTS.resolve(script).toString(), dir.toString()));
    }

    /**
     * Everything about the trees under {@code dirs}: every entry's type, mode, owner, size, times,
     * link count, device, content hash, link target and every xattr (trusted ones included).
     */
    static String checksum(Path... dirs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "for d in \"$@\"; do cd \"$d\" && find . -printf '%p %y %m %U %G %s %T@ %C@ %n %D:%i %l\\n' | sort"
                        + " && find . -type f -print0 | sort -z | xargs -0 -r md5sum"
                        + " && getfattr -R -P -h -d -m - -e hex . 2>/dev/null; cd /; done", "checksum"));
        for (Path d : dirs) {
            cmd.add(d.toString());
        }
        return run(cmd);
    }

    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), () -> String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtiofs.fs.overlay.OverlayFilesystem;
import org.jvirtiofs.fs.overlay.OverlayOptions;
import org.jvirtiofs.fuse.RequestObserver;

/**
 * Overlay shares in a real guest over vhost-user. The overlay differential script runs in the
 * guest (busybox) and must print exactly what it prints on the host on the kernel's overlayfs of
 * the same layers; an OCI layer set shows the guest exactly the merged image.
 */
class OverlayGuestTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPTS = ROOT.resolve("bundles/org.jvirtiofs.fs.overlay/src/test/resources/overlay");
    private static final String BEGIN = "JVFS-OVERLAY-BEGIN";
    private static final String END = "JVFS-OVERLAY-END";

    @TempDir
    Path tmp;

    @Test
    void theGuestSeesWhatTheKernelsOverlayfsShowsOnTheHost() throws Exception {
        InProcessShare.sh("sh " + SCRIPTS.resolve("build-layers.sh") + " " + tmp);
        String lowers = checksum(tmp.resolve("l1"), tmp.resolve("l2"));
        Files.createDirectories(tmp.resolve("kernel"));
        Files.createDirectories(tmp.resolve("work"));
        InProcessShare.sh("cp -a " + tmp.resolve("u0") + " " + tmp.resolve("kernel-upper") + " && cp -a " + tmp.resolve("u0") + " "
                + tmp.resolve("guest-upper"));
        InProcessShare.sh("mount -t overlay overlay -o lowerdir=" + tmp.resolve("l1") + ":" + tmp.resolve("l2") + ",upperdir="
                + tmp.resolve("kernel-upper") + ",workdir=" + tmp.resolve("work") + ",index=on " + tmp.resolve("kernel"));
        String kernel;
        try {
            kernel = InProcessShare.sh("sh " + SCRIPTS.resolve("script.sh") + " " + tmp.resolve("kernel"));
        } finally {
            InProcessShare.sh("umount " + tmp.resolve("kernel"));
        }

        String script = Files.readString(SCRIPTS.resolve("script.sh"));
        GuestVm.Console console = serve(OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                tmp.resolve("l1") + ":" + tmp.resolve("l2"), OverlayOptions.UPPER, tmp.resolve("guest-upper").toString())),
                "cat > /tmp/overlay.sh <<'JVFS_EOF'\n" + script + "JVFS_EOF\n"
                        + "echo " + BEGIN + "\nsh /tmp/overlay.sh \"$JVFS_MNT\"\necho " + END + "\n");
        assertEquals(kernel, between(console.text()));
        assertEquals(lowers, checksum(tmp.resolve("l1"), tmp.resolve("l2")), "a lower layer changed");
    }

    @Test
    void anOciLayerSetIsExactlyTheMergedImageInTheGuest() throws Exception {
        InProcessShare.sh("sh " + SCRIPTS.resolve("build-layers.sh") + " " + tmp);
        Path oci = tmp.resolve("oci");
        GuestVm.Console console = serve(OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                oci.resolve("top") + ":" + oci.resolve("app") + ":" + oci.resolve("base"))),
                "cd \"$JVFS_MNT\"\necho " + BEGIN + "\nfind . | LC_ALL=C sort\ncat etc/config app/main app/extra var/cache/c2\n"
                        + "touch etc/new 2>/dev/null && echo writable || echo read-only\necho " + END + "\n");
        assertEquals(String.join("\n", List.of(".", "./app", "./app/extra", "./app/main", "./etc", "./etc/config",
                "./usr", "./var", "./var/cache", "./var/cache/c2", "app-config", "main", "extra", "fresh", "read-only"))
                + "\n", between(console.text()));
    }

    private GuestVm.Console serve(OverlayOptions options, String guestScript) throws Exception {
        GuestImage image = GuestImage.withScriptText(guestScript);
        try (OverlayFilesystem fs = new OverlayFilesystem(options)) {
            return InProcessShare.serve(fs, RequestObserver.NONE, image, tmp, "layers");
        }
    }

    /**
     * The lines the guest printed between the markers (the serial console ends lines with CRLF),
     * without any kernel message that came in between.
     */
    private static String between(String console) {
        String text = console.replace("\r\n", "\n");
        int from = text.indexOf(BEGIN + "\n");
        int to = text.indexOf(END + "\n");
        assertTrue(from >= 0 && to > from, "no overlay output in the console:\n" + text);
        StringBuilder out = new StringBuilder();
        text.substring(from + BEGIN.length() + 1, to).lines().filter(l -> !l.matches("\\[ *\\d+\\.\\d+\\] .*"))
                .forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String checksum(Path... dirs) throws Exception {
        StringBuilder out = new StringBuilder();
        for (Path d : dirs) {
            out.append(InProcessShare.sh("cd " + d + " && find . -printf '%p %y %m %U %G %s %T@ %n %i %l\\n' | sort"
                    + " && find . -type f -print0 | sort -z | xargs -0 -r md5sum"
                    + " && getfattr -R -P -h -d -m - -e hex . 2>/dev/null"));
        }
        return out.toString();
    }
}

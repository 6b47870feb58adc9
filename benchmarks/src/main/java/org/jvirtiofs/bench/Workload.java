package org.jvirtiofs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.itests.vm.GuestImage;

/**
 * The workloads' inputs, made once and cached: the source tree to untar (Debian's
 * linux-headers-*-common: a real tree of C headers, Makefiles and Kconfig files), benchtool, fio
 * with the libraries it loads, and the workload script with its sizes. The guest gets them as
 * an extra archive appended to its initramfs, under /bench, in RAM.
 */
final class Workload {
    /** Guest RAM: the initramfs with fio's libraries and the tree, plus room for the big file's cache. */
    static final int GUEST_MIB = 1536;
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", ".")).toAbsolutePath().normalize();

    private final Path extras;
    private final Path tree;
    private final boolean quick;
    private final String settings;
    private final long treeFiles;
    private final String treeName;

    private Workload(Path extras, Path tree, boolean quick, long treeFiles, String treeName) {
        this.extras = extras;
        this.tree = tree;
        this.quick = quick;
        this.treeFiles = treeFiles;
        this.treeName = treeName;
        this.settings = quick
            ? "BIG_MIB=16\nRAND_MIB=2\nMETA_FILES=200\nMETA_DIRS=50\nLINK_FILES=100\nRT_OPENS=500\n"
            : "BIG_MIB=256\nRAND_MIB=32\nMETA_FILES=5000\nMETA_DIRS=1000\nLINK_FILES=2000\nRT_OPENS=20000\n";
    }

    static Workload prepare(Path work, boolean quick) throws IOException, InterruptedException {
        Path extras = work.resolve(quick ? "extras-quick" : "extras");
        Path bench = extras.resolve("bench");
        Files.createDirectories(bench);
        // benchtool: static, the guest has no libc of its own
        Path tool = bench.resolve("benchtool");
        GuestBench.exec(List.of("gcc", "-static", "-O2", "-o", tool.toString(),
            ROOT.resolve("launcher/guest/benchtool.c").toString()), null);
        copyFio(extras);
        Path tree = bench.resolve("tree.tar");
        String name = buildTree(work, tree, quick);
        long files = Long.parseLong(GuestBench.exec(List.of("sh", "-c", "tar -tf '" + tree + "' | grep -vc '/$'"), null)
            .trim());
        return new Workload(extras, tree, quick, files, name);
    }

    /** fio and every library it links, at their own paths, with the dynamic loader. */
    private static void copyFio(Path extras) throws IOException, InterruptedException {
        Path fio = Path.of("/usr/bin/fio");
        if (!Files.isExecutable(fio)) {
            throw new IllegalStateException("fio is missing: run bin/setup-host");
        }
        Files.copy(fio, extras.resolve("bench/fio"), StandardCopyOption.REPLACE_EXISTING);
        for (String line : GuestBench.exec(List.of("ldd", fio.toString()), null).split("\n")) {
            String lib = null;
            if (line.contains("=> /")) {
                lib = line.substring(line.indexOf("=> ") + 3, line.lastIndexOf(" ("));
            } else if (line.trim().startsWith("/")) {
                lib = line.trim().substring(0, line.trim().indexOf(' '));
            }
            if (lib != null) {
                Path target = extras.resolve(lib.substring(1));
                Files.createDirectories(target.getParent());
                Files.copy(Path.of(lib), target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * The tree to untar, from apt's newest linux-headers-6.1.0-N-common. The quick run takes a
     * part of it: include/uapi without the files directly in include/uapi/linux, about 370 files
     * in 44 directories, which keeps the smallfiles phases of a quick 9p run (about 40 ms a file
     * to untar under TCG) to seconds.
     */
    private static String buildTree(Path work, Path tree, boolean quick) throws IOException, InterruptedException {
        String pkg = GuestBench.exec(List.of("sh", "-c",
            "apt-cache search --names-only '^linux-headers-6\\.1\\.0-[0-9]+-common$' | awk '{print $1}' | sort -V | tail -n 1"),
            null).trim();
        if (pkg.isEmpty()) {
            throw new IllegalStateException("no linux-headers-6.1.0-*-common package in the apt lists: run apt-get update");
        }
        Path cached = work.resolve(pkg + (quick ? "-uapi-subdirs" : "") + ".tar");
        if (!Files.exists(cached)) {
            Path dl = Files.createTempDirectory(work, "download");
            try {
                GuestBench.exec(List.of("apt-get", "download", "-q", "-o", "APT::Sandbox::User=root", pkg), dl);
                Path deb;
                try (var list = Files.list(dl)) {
                    deb = list.filter(p -> p.toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("apt-get download " + pkg + " gave no .deb"));
                }
                Path x = dl.resolve("x");
                Files.createDirectories(x);
                GuestBench.exec(List.of("sh", "-c", "dpkg-deb --fsys-tarfile '" + deb + "' | tar -x -C '" + x + "'"), null);
                Path src = x.resolve("usr/src");
                String top;
                try (var list = Files.list(src)) {
                    top = list.findFirst().orElseThrow().getFileName().toString();
                }
                Path tmp = work.resolve(cached.getFileName() + ".tmp");
                List<String> tar = new ArrayList<>(List.of("tar", "-cf", tmp.toString(), "--owner=0", "--group=0",
                    "--sort=name"));
                if (quick) { // '*' must not match '/': the subdirectories' files stay
                    tar.addAll(List.of("--no-wildcards-match-slash", "--exclude=" + top + "/include/uapi/linux/*.h",
                        top + "/include/uapi"));
                } else {
                    tar.add(top);
                }
                GuestBench.exec(tar, src);
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                GuestBench.deleteTree(dl);
            }
        }
        Files.copy(cached, tree, StandardCopyOption.REPLACE_EXISTING);
        return pkg + (quick ? " (include/uapi, without include/uapi/linux/*.h)" : "");
    }

    String describe() {
        return "smallfiles untars " + treeFiles + " files of " + treeName + "; " + settings.replace('\n', ' ').trim();
    }

    /** The workload script for the guest: the workloads to run and the settings, then bench.sh. */
    String script(List<String> workloads) throws IOException {
        try (InputStream in = Workload.class.getResourceAsStream("bench.sh")) {
            if (in == null) {
                throw new IllegalStateException("bench.sh is missing from the classpath");
            }
            return "WORKLOADS=\"" + String.join(" ", workloads) + "\"\n" + settings
                + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code base} with the extras appended: the kernel unpacks concatenated archives in order. */
    GuestImage image(GuestImage base) throws IOException, InterruptedException {
        Path initrd = extras.resolveSibling(extras.getFileName() + ".initrd");
        Path archive = extras.resolveSibling(extras.getFileName() + ".cpio");
        GuestBench.exec(List.of("sh", "-c", "find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet > '"
            + archive + "'"), extras);
        try (OutputStream out = Files.newOutputStream(initrd)) {
            Files.copy(base.initrd(), out);
            long size = Files.size(base.initrd());
            out.write(new byte[(int) ((4 - size % 4) % 4)]);
            Files.copy(archive, out);
        }
        Files.delete(archive);
        return new GuestImage(base.kernel(), initrd, base.release(), base.fsbattery(), base.vmlinuz());
    }

    /** The same script on the host's own filesystem, with the host's busybox, benchtool and fio. */
    String onHost(Path dir, List<String> workloads) throws IOException, InterruptedException {
        Path script = Files.createTempFile("bench-host", ".sh");
        try {
            Files.writeString(script, script(workloads));
            // busybox's tar, find, rm and awk, as in the guest
            Path bin = extras.resolveSibling("host-bin");
            Files.createDirectories(bin);
            for (String applet : List.of("tar", "find", "wc", "awk", "rm", "rmdir", "mkdir", "sync", "cat")) {
                Path link = bin.resolve(applet);
                if (!Files.isSymbolicLink(link)) {
                    Files.createSymbolicLink(link, Path.of("/bin/busybox"));
                }
            }
            List<String> command = new ArrayList<>(List.of("env", "PATH=" + bin + ":/usr/bin:/bin", "JVFS_MNT=" + dir, "BENCH_ON_HOST=1",
                "BENCH_TOOL=" + extras.resolve("bench/benchtool"), "BENCH_FIO=/usr/bin/fio", "BENCH_TREE=" + tree,
                "/bin/busybox", "sh", script.toString()));
            return GuestBench.exec(command, dir);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    boolean quick() {
        return quick;
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.jvirtiofs.itests.PlatformShell;

/**
 * The VM launcher in bin/jvirtiofs: a VM from configuration boots with two shares, a third is
 * hot-plugged with vm:attach (the guest mounts it by its tag and writes a file the host reads)
 * and unplugged with vm:detach, a line typed on the console socket reaches the guest, and
 * vm:stop powers the guest off through ACPI. On the pc machine (ACPI hot-plug on the root bus)
 * and on q35 (PCI Express hot-plug on root ports).
 */
class VmLauncherGuestTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private static boolean exists(Path p) {
        return Files.exists(p);
    }

    /** Whether {@code p} holds {@code text}: the guest's file exists a moment before its content arrives. */
    private static boolean holds(Path p, String text) {
        return config(p).equals(text);
    }

    @ParameterizedTest(name = "machine {0}")
    @ValueSource(strings = {"pc", "q35"})
    void aConfiguredVmGetsItsSharesAThirdHotPluggedAndUnpluggedAndStopsCleanly(String machine) throws Exception {
        GuestImage image = GuestImage.withScript("vmlauncher.sh");
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        for (String s : new String[] {"a", "b", "c"}) {
            Path dir = Files.createDirectory(tmp.resolve(s));
            Files.writeString(dir.resolve("hello"), "from host " + s + "\n");
            // share a warms the platform up until its guest's first request; b and c are told not to
            Files.writeString(etc.resolve("org.jvirtiofs.share-" + s + ".cfg"), "source = " + dir + "\nsocket = "
                    + tmp.resolve(s + ".sock") + "\nwarm-up = " + (s.equals("a") ? "120" : "0") + "\n");
        }
        Path vmConfig = etc.resolve("org.jvirtiofs.vm-t.cfg");
        Path console = tmp.resolve("console.log");
        Path consoleSocket = tmp.resolve("console.sock");
        Files.writeString(vmConfig, "kernel = " + image.kernel() + "\ninitrd = " + image.initrd()
                + "\nappend = console=ttyS0 quiet panic=-1 iomem=relaxed jvfs.automount=1\nshares = a,b\naccel = tcg"
                + "\nautostart = true\nconsole = " + console + "\nconsole-socket = " + consoleSocket
                + "\nextra-args = -no-reboot\nmachine = " + machine + "\n");
        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("jvirtiofs.log"));
        try (platform) {
            platform.waitFor(() -> exists(tmp.resolve("a/seen")) && exists(tmp.resolve("b/seen")), 180,
                    "the guest to see shares a and b");
            platform.waitFor(() -> platform.log().contains("jvirtiofs-warm-up-a: "), 30, "share a's warm-up to end");
            assertTrue(Pattern.compile("jvirtiofs-warm-up-a: [1-9]\\d* requests in \\d+\\.\\d s, stopped by the guest's "
                    + "first request").matcher(platform.log()).find(), platform.log());
            assertFalse(platform.log().contains("jvirtiofs-warm-up-b") || platform.log().contains("jvirtiofs-warm-up-c"),
                    platform.log());
            platform.send("vm:list");
            platform.waitFor(() -> platform.output().contains("a,b     a,b"), 10, "vm:list");
            assertTrue(Pattern.compile("t +RUNNING +tcg +512 MiB +1 +a,b +a,b +\\d+").matcher(platform.output()).find(),
                    platform.output());

            platform.send("vm:attach t c");
            platform.waitFor(() -> holds(tmp.resolve("c/from-guest"), "written by the guest into a hot-plugged share\n"),
                    180, "the guest to write into share c");
            platform.waitFor(() -> config(vmConfig).contains("a,b,c"), 10, "vm:attach to be stored");
            platform.send("vm:attach t c");
            platform.send("vm:attach t nosuch");
            platform.waitFor(() -> platform.log().contains("vm:attach: no share named nosuch"), 10, "the refusals");
            assertTrue(platform.log().contains("vm:attach: share c is already attached to vm t"), platform.log());

            platform.send("vm:detach t c");
            platform.waitFor(() -> exists(tmp.resolve("a/c-gone")), 180, "the guest to lose share c");
            platform.waitFor(() -> config(vmConfig).contains("shares = a,b\n"), 10, "vm:detach to be stored");

            try (SocketChannel operator = SocketChannel.open(UnixDomainSocketAddress.of(consoleSocket))) {
                String seen = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(operator, "VMTEST: c is gone"))
                        .get(30, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(seen.contains("JVFS-AUTOMOUNT: c /mnt/c"), "the socket gives the backlog first:\n" + seen);
                operator.write(ByteBuffer.wrap("typed through the console socket\r".getBytes(StandardCharsets.UTF_8)));
                platform.waitFor(() -> holds(tmp.resolve("a/typed"), "typed through the console socket\n"), 60,
                        "the typed line to reach the guest");
            }

            platform.send("vm:console t --lines 100");
            platform.waitFor(() -> platform.output().contains("VMTEST: waiting for the power button"), 10,
                    "vm:console");
            assertTrue(platform.output().contains("JVFS-AUTOUMOUNT: c"), platform.output());

            long pid = qemuPid(platform.output());
            platform.send("vm:stop t");
            platform.waitFor(() -> platform.output().contains("stopped: the guest powered off"), 60, "vm:stop");
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "QEMU is gone");
            assertFalse(exists(consoleSocket), "the console socket goes with the VM");
            // QEMU's events are in the log: the unplugged device, the power button, the shutdown
            for (String event : new String[] {"DEVICE_DELETED {\"device\":\"fs2\"", "POWERDOWN", "SHUTDOWN"}) {
                assertTrue(platform.log().contains("vm t: QEMU event " + event), event + ":\n" + platform.log());
            }
        }
        String text = Files.readString(console);
        assertTrue(text.contains("JVFS-ACPI: power button"), text);
        assertTrue(text.contains("JVFS-RESULT: POWERDOWN"), "the guest unmounted its shares and powered off:\n" + text);
        assertFalse(text.contains("VMTEST-FAIL"), text);
        // pc plugs into its root bus (00); q35 into a PCIe root port, a bus of its own
        assertTrue(Pattern.compile("its device is at 0000:" + (machine.equals("pc") ? "00" : "0[1-9a-f]") + ":")
                .matcher(text).find(), text);
        assertFalse(platform.output().contains("Exception"), platform.output());
    }

    @org.junit.jupiter.api.Test
    void aVmBootsADiskImageAndItsShareWorks() throws Exception {
        GuestImage image = GuestImage.withScript("powerbutton.sh");
        Path disk = tmp.resolve("disk.img");
        Process build = new ProcessBuilder("bash", ROOT.resolve("launcher/guest/build-disk").toString(),
                image.vmlinuz().toString(), image.initrd().toString(),
                "console=ttyS0 quiet panic=-1 iomem=relaxed jvfs.automount=1", disk.toString())
                .redirectErrorStream(true).start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, build.waitFor(), built);
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path share = Files.createDirectory(tmp.resolve("d"));
        Path console = tmp.resolve("console.log");
        Files.writeString(etc.resolve("org.jvirtiofs.share-d.cfg"), "source = " + share + "\nsocket = "
                + tmp.resolve("d.sock") + "\n");
        Files.writeString(etc.resolve("org.jvirtiofs.vm-fromdisk.cfg"), "disk = " + disk + "\nmemory = 256M\nshares = d"
                + "\naccel = tcg\nautostart = true\nconsole = " + console + "\nextra-args = -no-reboot\n");
        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("jvirtiofs.log"));
        try (platform) {
            platform.waitFor(() -> holds(share.resolve("guest.txt"), "from the guest\n"), 180,
                    "the guest booted from disk to write");
            platform.send("vm:info fromdisk");
            platform.waitFor(() -> platform.output().contains("boot            disk " + disk + "\n"), 10, "vm:info");
            platform.send("vm:stop fromdisk");
            platform.waitFor(() -> platform.output().contains("stopped: the guest powered off"), 60, "vm:stop");
        }
        String text = Files.readString(console);
        assertTrue(text.contains("SYSLINUX"), "the firmware booted the disk's boot loader:\n" + text);
        assertTrue(text.contains("JVFS-ACPI: power button"), text);
    }

    /** The file's text, or "" if it is not there (yet). */
    private static String config(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private static long qemuPid(String vmList) {
        Matcher m = Pattern.compile("t +RUNNING +tcg +512 MiB +1 +a,b +a,b +(\\d+)").matcher(vmList);
        assertTrue(m.find(), vmList);
        return Long.parseLong(m.group(1));
    }

    /** What the console socket sends until {@code until} (or its end). */
    private static String read(SocketChannel ch, String until) {
        StringBuilder got = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(8192);
        try {
            while (!got.toString().contains(until)) {
                b.clear();
                if (ch.read(b) < 0) {
                    break;
                }
                got.append(new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
            }
        } catch (java.io.IOException e) {
            got.append("[").append(e).append("]");
        }
        return got.toString();
    }
}

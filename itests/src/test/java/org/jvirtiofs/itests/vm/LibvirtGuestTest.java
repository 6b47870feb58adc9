package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libvirt 9 (Debian's libvirtd, QEMU under TCG) runs a domain whose virtiofs filesystem is served
 * by bin/jvirtiofsd: libvirt starts the daemon itself, with its own command line (an inherited
 * listening socket as --fd=N, -o source=...,cache=...,xattr), connects QEMU to it, and the guest
 * reads what the host put in the share and writes a file back. Once through {@code <binary
 * path=...>} in the domain XML, once through the vhost-user descriptor bin/setup-libvirt installs.
 */
class LibvirtGuestTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final String VIRSH = "virsh";
    private static final String URI = "qemu:///system";

    @TempDir
    Path tmp;

    @BeforeAll
    static void libvirtdRuns() throws Exception {
        if (virsh("version").exit == 0) {
            return;
        }
        // no init system starts it in a container: start the daemons as libvirt's units would
        run(List.of("virtlogd", "-d"));
        run(List.of("libvirtd", "-d"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Result v = virsh("version");
        while (v.exit != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            v = virsh("version");
        }
        assertEquals(0, v.exit, "libvirtd does not answer (install libvirt-daemon-system: bin/setup-host):\n" + v.out);
    }

    @Test
    void aDomainNamingJvirtiofsdAsItsBinaryBootsAndUsesTheShare() throws Exception {
        String name = "jvfs-binary-" + UUID.randomUUID().toString().substring(0, 8);
        Path share = share();
        String binary = "      <binary path='" + ROOT.resolve("bin/jvirtiofsd") + "' xattr='on'>\n"
                + "        <cache mode='always'/>\n        <lock posix='off' flock='off'/>\n"
                + "        <thread_pool size='2'/>\n      </binary>\n";
        String console = runDomain(name, share, binary);
        assertGuestUsedTheShare(console, share);
        // the exact command line libvirt 9 gave the daemon, as it logs it
        String qemuLog = Files.readString(Path.of("/var/log/libvirt/qemu/" + name + ".log"));
        assertTrue(qemuLog.matches("(?s).*" + ROOT.resolve("bin/jvirtiofsd") + " --fd=\\d+ -o source=" + share
                + ",cache=always,xattr,no_flock,no_posix_lock --thread-pool-size=2\n.*"), qemuLog);
        assertTrue(daemonLog(name).contains("serving " + share + " (passthrough) on fd"), daemonLog(name));
    }

    @Test
    void theVhostUserDescriptorMakesLibvirtChooseJvirtiofsd() throws Exception {
        String name = "jvfs-descriptor-" + UUID.randomUUID().toString().substring(0, 8);
        Path share = share();
        run(List.of(ROOT.resolve("bin/setup-libvirt").toString()));
        try {
            String console = runDomain(name, share, "");
            assertGuestUsedTheShare(console, share);
        } finally {
            run(List.of(ROOT.resolve("bin/setup-libvirt").toString(), "--remove"));
        }
        String qemuLog = Files.readString(Path.of("/var/log/libvirt/qemu/" + name + ".log"));
        assertTrue(qemuLog.matches("(?s).*" + ROOT.resolve("bin/jvirtiofsd") + " --fd=\\d+ -o source=" + share + "\n.*"),
                "libvirt did not pick jvirtiofsd from 40-jvirtiofsd.json:\n" + qemuLog);
        assertTrue(daemonLog(name).contains("serving " + share + " (passthrough) on fd"), daemonLog(name));
    }

    private Path share() throws IOException {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Files.writeString(share.resolve("hello.txt"), "hello from the host\n");
        return share;
    }

    private static void assertGuestUsedTheShare(String console, Path share) throws IOException {
        assertTrue(console.contains("JVFS-HELLO: hello from the host"), console);
        assertTrue(console.contains("JVFS-RESULT: PASS"), console);
        assertEquals("written by the libvirt guest\n", Files.readString(share.resolve("from-guest.txt")));
    }

    private static String daemonLog(String name) throws IOException {
        return Files.readString(Path.of("/var/log/libvirt/qemu/" + name + "-fs0-virtiofsd.log"));
    }

    /** Creates the transient domain and waits for it to power off; returns its serial console. */
    private String runDomain(String name, Path share, String binary) throws Exception {
        GuestImage image = GuestImage.withScriptText("echo \"JVFS-HELLO: $(cat \"$JVFS_MNT/hello.txt\")\"\n"
                + "echo 'written by the libvirt guest' > \"$JVFS_MNT/from-guest.txt\"\n");
        // libvirt's QEMU runs as libvirt-qemu: the boot files must be readable by it
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path kernel = Files.copy(image.kernel(), tmp.resolve("kernel"), StandardCopyOption.REPLACE_EXISTING);
        Path initrd = Files.copy(image.initrd(), tmp.resolve("initrd"), StandardCopyOption.REPLACE_EXISTING);
        Path console = tmp.resolve("console.log");
        Path xml = tmp.resolve(name + ".xml");
        Files.writeString(xml, """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>512</memory>
                  <vcpu>1</vcpu>
                  <memoryBacking>
                    <source type='memfd'/>
                    <access mode='shared'/>
                  </memoryBacking>
                  <os>
                    <type arch='x86_64' machine='pc'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>console=ttyS0 quiet panic=-1 jvfs.tag=hostshare</cmdline>
                  </os>
                  <features><acpi/></features>
                  <on_poweroff>destroy</on_poweroff>
                  <on_reboot>destroy</on_reboot>
                  <on_crash>destroy</on_crash>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <filesystem type='mount' accessmode='passthrough'>
                      <driver type='virtiofs' queue='1024'/>
                %s      <source dir='%s'/>
                      <target dir='hostshare'/>
                    </filesystem>
                    <serial type='file'>
                      <source path='%s'/>
                    </serial>
                  </devices>
                </domain>
                """.formatted(name, kernel, initrd, binary, share, console));
        Result created = virsh("create", xml.toString());
        assertEquals(0, created.exit, "virsh create failed:\n" + created.out);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (virsh("domstate", name).exit == 0) { // a transient domain is gone once it powers off
            if (System.nanoTime() > deadline) {
                virsh("destroy", name);
                throw new AssertionError("the domain did not power off within 180 s:\n"
                        + (Files.exists(console) ? Files.readString(console) : ""));
            }
            Thread.sleep(500);
        }
        return Files.exists(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
    }

    private record Result(int exit, String out) {
    }

    private static Result virsh(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(VIRSH, "-c", URI));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Result(-1, out);
        }
        return new Result(p.exitValue(), out);
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, cmd + " failed:\n" + out);
        return out;
    }
}

package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    private static final Path QMP = Path.of("/run/vm/qmp.sock");
    private static final Path SERIAL = Path.of("/run/vm/serial.sock");

    private static List<String> build(Map<String, ?> config, VmSettings.Accel accel, List<QemuCommand.ShareDevice> d) {
        return QemuCommand.build(VmSettings.parse(config, "t"), QEMU, accel, QMP, SERIAL, d);
    }

    /** The value following {@code option}, for each time it appears. */
    private static List<String> values(List<String> command, String option) {
        List<String> v = new java.util.ArrayList<>();
        for (int i = 0; i < command.size() - 1; i++) {
            if (command.get(i).equals(option)) {
                v.add(command.get(i + 1));
            }
        }
        return v;
    }

    @Test
    void aKernelBootWithTwoSharesOnSharedMemfdMemory() {
        List<String> c = build(Map.of("kernel", "/k", "initrd", "/i", "append", "console=ttyS0 quiet", "memory", "1G",
                "cpus", "2", "extra-args", "-no-reboot"), VmSettings.Accel.TCG, List.of(
                new QemuCommand.ShareDevice("web", Path.of("/run/web.sock"), "fs0", null),
                new QemuCommand.ShareDevice("src", Path.of("/run/src.sock"), "fs1", null)));
        assertEquals(QEMU.toString(), c.get(0));
        assertEquals(List.of("tcg"), values(c, "-accel"));
        assertEquals(List.of("1024M"), values(c, "-m"));
        assertEquals(List.of("2"), values(c, "-smp"));
        assertEquals(List.of("memory-backend-memfd,id=mem,size=1024M,share=on"), values(c, "-object"));
        assertEquals(List.of("node,memdev=mem"), values(c, "-numa"));
        assertEquals(List.of("/k"), values(c, "-kernel"));
        assertEquals(List.of("/i"), values(c, "-initrd"));
        assertEquals(List.of("console=ttyS0 quiet"), values(c, "-append"));
        assertEquals(List.of("socket,id=qmp,path=/run/vm/qmp.sock,server=on,wait=off",
                "socket,id=serial0,path=/run/vm/serial.sock,server=on,wait=on",
                "socket,id=chr-fs0,path=/run/web.sock", "socket,id=chr-fs1,path=/run/src.sock"), values(c, "-chardev"));
        assertEquals(List.of("vhost-user-fs-pci,id=fs0,chardev=chr-fs0,tag=web,queue-size=1024",
                "vhost-user-fs-pci,id=fs1,chardev=chr-fs1,tag=src,queue-size=1024"), values(c, "-device"));
        assertTrue(c.contains("-nodefaults"));
        assertEquals("-no-reboot", c.get(c.size() - 1), "extra arguments come last");
        assertFalse(c.contains("-cpu"), "TCG keeps QEMU's default CPU");
    }

    @Test
    void kvmPassesTheHostCpuThrough() {
        List<String> c = build(Map.of("disk", "/d.raw"), VmSettings.Accel.KVM, List.of());
        assertEquals(List.of("kvm"), values(c, "-accel"));
        assertEquals(List.of("host"), values(c, "-cpu"));
    }

    @Test
    void aDiskBootsAsVirtioWithItsFormatAndCommasEscaped() {
        assertEquals(List.of("file=/img/a,,b.qcow2,if=virtio,format=qcow2"),
                values(build(Map.of("disk", "/img/a,b.qcow2"), VmSettings.Accel.TCG, List.of()), "-drive"));
        assertEquals(List.of("file=/img/disk.img,if=virtio,format=raw"),
                values(build(Map.of("disk", "/img/disk.img"), VmSettings.Accel.TCG, List.of()), "-drive"));
    }

    @Test
    void q35GetsARootPortPerShareAndSpareOnesForHotPlug() {
        List<String> c = build(Map.of("disk", "/d", "machine", "q35", "hotplug-slots", "2"), VmSettings.Accel.TCG,
                List.of(new QemuCommand.ShareDevice("web", Path.of("/w.sock"), "fs0", QemuCommand.port(0))));
        List<String> devices = values(c, "-device");
        assertEquals(List.of("pcie-root-port,id=hp0,bus=pcie.0,chassis=1", "pcie-root-port,id=hp1,bus=pcie.0,chassis=2",
                "pcie-root-port,id=hp2,bus=pcie.0,chassis=3", "vhost-user-fs-pci,id=fs0,chardev=chr-fs0,tag=web,queue-size=1024,bus=hp0"),
                devices);
        assertEquals(List.of("q35"), values(c, "-machine"));
        assertEquals(Collections.emptyList(), values(build(Map.of("disk", "/d"), VmSettings.Accel.TCG, List.of()),
                "-device"), "pc needs no ports: ACPI hot-plug works on its root bus");
    }
}

package org.jvirtiofs.vm.qemu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The QEMU command line of one boot: guest memory as a shared memfd (vhost-user backends map it),
 * one NUMA node on it, the serial console and QMP on Unix sockets in the run folder, and one
 * vhost-user-fs-pci device per share. QEMU's defaults are off ({@code -nodefaults}): no display, no
 * NIC, nothing the configuration did not ask for beyond its extra arguments.
 */
final class QemuCommand {
    /** The chardev id of the serial console; QEMU waits for the launcher to connect before it runs. */
    static final String SERIAL_CHARDEV = "serial0";
    /** The chardev id of the QMP monitor. */
    static final String QMP_CHARDEV = "qmp";

    private QemuCommand() {
    }

    /** A share plugged in as a device: its tag, the socket its backend listens on, QEMU ids, and its root port. */
    record ShareDevice(String share, Path socket, String id, String port) {
        /**
         * Entries per virtqueue (QEMU's default is 128, and it sizes the hiprio queue the same):
         * room for more requests in flight and for bursts of FORGETs.
         */
        static final int QUEUE_SIZE = 1024;

        /** The chardev's id. */
        String chardev() {
            return "chr-" + id;
        }
    }

    /** The name of the {@code n}th spare PCIe root port (q35). */
    static String port(int n) {
        return "hp" + n;
    }

    /**
     * The command line.
     *
     * @param qemu the QEMU binary
     * @param accel the accelerator of this boot: KVM or TCG
     * @param qmp the QMP socket path
     * @param serial the serial console socket path
     * @param devices the shares attached at boot
     */
    static List<String> build(VmSettings s, Path qemu, VmSettings.Accel accel, Path qmp, Path serial,
            List<ShareDevice> devices) {
        if (accel == VmSettings.Accel.AUTO) {
            throw new IllegalArgumentException("a boot runs with kvm or tcg, not auto");
        }
        List<String> c = new ArrayList<>(List.of(qemu.toString(),
                "-name", "guest=" + s.name(),
                "-nodefaults", "-no-user-config", "-display", "none",
                "-machine", s.machine(),
                "-accel", accel.word(),
                "-smp", Integer.toString(s.cpus()),
                "-m", s.memoryMiB() + "M",
                // vhost-user needs the guest's RAM in a file descriptor QEMU can pass on: a shared memfd
                "-object", "memory-backend-memfd,id=mem,size=" + s.memoryMiB() + "M,share=on",
                "-numa", "node,memdev=mem",
                // QMP first, without waiting; the serial socket then holds QEMU until the launcher is
                // connected, so not one byte of the console is lost
                "-chardev", "socket,id=" + QMP_CHARDEV + ",path=" + escape(qmp.toString()) + ",server=on,wait=off",
                "-mon", "chardev=" + QMP_CHARDEV + ",mode=control",
                "-chardev", "socket,id=" + SERIAL_CHARDEV + ",path=" + escape(serial.toString()) + ",server=on,wait=on",
                "-serial", "chardev:" + SERIAL_CHARDEV));
        if (s.kernel() != null) {
            c.addAll(List.of("-kernel", s.kernel().toString()));
            if (s.initrd() != null) {
                c.addAll(List.of("-initrd", s.initrd().toString()));
            }
            if (!s.append().isEmpty()) {
                c.addAll(List.of("-append", s.append()));
            }
        } else {
            c.addAll(List.of("-drive", "file=" + escape(s.disk().toString()) + ",if=virtio,format=" + format(s.disk())));
        }
        if (s.pciExpress()) {
            // PCI Express has no hot-plug on the root complex: every share gets a root port, and
            // spare ones wait for vm:attach
            for (int i = 0; i < devices.size() + s.hotplugSlots(); i++) {
                c.addAll(List.of("-device", "pcie-root-port,id=" + port(i) + ",bus=pcie.0,chassis=" + (i + 1)));
            }
        }
        for (ShareDevice d : devices) {
            c.addAll(List.of("-chardev", "socket,id=" + d.chardev() + ",path=" + escape(d.socket().toString())));
            c.addAll(List.of("-device", "vhost-user-fs-pci,id=" + d.id() + ",chardev=" + d.chardev() + ",tag=" + d.share()
                    + ",queue-size=" + ShareDevice.QUEUE_SIZE + (d.port() != null ? ",bus=" + d.port() : "")));
        }
        if (accel == VmSettings.Accel.KVM) {
            c.addAll(List.of("-cpu", "host"));
        }
        c.addAll(s.extraArgs());
        return c;
    }

    /** The disk's image format, by its extension: qcow2, or raw. */
    static String format(Path disk) {
        String n = disk.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".qcow2") || n.endsWith(".qcow") ? "qcow2" : "raw";
    }

    /** QEMU's option syntax doubles a comma that belongs to a value. */
    private static String escape(String value) {
        return value.replace(",", ",,");
    }
}

package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hot-plug against a real QEMU that has no PCI bus: the device is refused, and nothing is left behind. */
class HotplugTest {
    @TempDir
    Path tmp;

    private Process qemu;

    @AfterEach
    void stopQemu() throws InterruptedException {
        if (qemu != null) {
            qemu.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRefusedDeviceLeavesNoChardevBehind() throws Exception {
        qemu = Qemu.withQmpOnly(tmp);
        Path qmpSocket = tmp.resolve("qmp.sock");
        Path share = tmp.resolve("share.sock");
        try (ServerSocketChannel backend = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                QmpClient qmp = QmpClient.connect(qmpSocket, "t", 10_000, qemu::isAlive)) {
            backend.bind(UnixDomainSocketAddress.of(share)); // the chardev connects; nobody needs to answer
            QemuCommand.ShareDevice d = new QemuCommand.ShareDevice("web", share, "fs0", null);
            QmpException e = assertThrows(QmpException.class, () -> Hotplug.plug(qmp, d));
            assertTrue(e.getMessage().startsWith("device_add: "), e.getMessage());
            String chardevs = qmp.execute("query-chardev", null).toString();
            assertTrue(chardevs.contains("compat_monitor0"), "QMP's own chardev is listed: " + chardevs);
            assertFalse(chardevs.contains("chr-fs0"), "the chardev went with the refused device: " + chardevs);
        }
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.jvirtiofs.fs.memory.MemoryFilesystem;
import org.jvirtiofs.fs.memory.MemoryOptions;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.fuse.SessionOptions;
import org.jvirtiofs.vhostuser.BackendOptions;
import org.jvirtiofs.vhostuser.RequestHandler;
import org.jvirtiofs.vhostuser.VhostUserBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Linux 6.1 guest under QEMU 7.2 mounts a memory share served by jvirtiofs over
 * vhost-user and passes the filesystem battery; it unmounts (DESTROY) and powers off, and a
 * second guest then boots against the same running daemon and passes too.
 */
class MemoryShareGuestTest {
    @TempDir
    Path tmp;

    @Test
    void twoGuestsInARowMountTheMemoryShareAndPassTheBattery() throws Exception {
        GuestImage image = GuestImage.withScript("battery.sh");
        MemoryFilesystem fs = new MemoryFilesystem(MemoryOptions.defaults());
        FuseSession session = new FuseSession(fs, SessionOptions.defaults());
        Path socket = tmp.resolve("memory.sock");
        try (VhostUserBackend backend = VhostUserBackend.listen(socket.toString(), BackendOptions.defaults(),
                RequestHandler.of(session::handle, session::mayBlock), session::handle)) {
            for (int guest = 1; guest <= 2; guest++) {
                GuestVm.Console console = new GuestVm(image, socket, "memshare", tmp.resolve("console-" + guest + ".log"))
                        .run();
                console.assertBatteryPassed("guest " + guest);
                // the guest unmounted: DESTROY left the provider with its root alone
                assertEquals(1, fs.nodeCount(), "nodes after guest " + guest + " unmounted"
                        + (console.unmountStuck() ? " (its umount hung in the guest kernel, before DESTROY)" : ""));
            }
            assertEquals(2, backend.status().connections());
        }
    }
}

package org.jvirtiofs.vm.qemu;

import com.google.gson.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plugging a share's vhost-user-fs device into a running guest over QMP, and out again:
 * {@code chardev-add} + {@code device_add}; {@code device_del}, the guest's release
 * ({@code DEVICE_DELETED}), {@code chardev-remove}.
 */
final class Hotplug {
    private Hotplug() {
    }

    /**
     * Adds the device; a refused device leaves no chardev behind.
     *
     * @throws QmpException with QEMU's reason
     */
    static void plug(QmpClient qmp, QemuCommand.ShareDevice d) throws QmpException {
        JsonObject unix = new JsonObject();
        unix.addProperty("path", d.socket().toString());
        JsonObject addr = new JsonObject();
        addr.addProperty("type", "unix");
        addr.add("data", unix);
        JsonObject socket = new JsonObject();
        socket.add("addr", addr);
        socket.addProperty("server", false);
        JsonObject backend = new JsonObject();
        backend.addProperty("type", "socket");
        backend.add("data", socket);
        JsonObject chardev = new JsonObject();
        chardev.addProperty("id", d.chardev());
        chardev.add("backend", backend);
        qmp.execute("chardev-add", chardev);

        JsonObject device = new JsonObject();
        device.addProperty("driver", "vhost-user-fs-pci");
        device.addProperty("id", d.id());
        device.addProperty("chardev", d.chardev());
        device.addProperty("tag", d.share());
        device.addProperty("queue-size", QemuCommand.ShareDevice.QUEUE_SIZE);
        if (d.port() != null) {
            device.addProperty("bus", d.port());
        }
        try {
            // realizing the device runs the vhost-user handshake with the share's backend
            qmp.execute("device_add", device, 60_000);
        } catch (QmpException e) {
            removeChardev(qmp, d);
            throw e;
        }
    }

    /**
     * Asks the guest to release the device, waits until it has, and removes the chardev.
     *
     * @throws QmpException if QEMU refuses, or the guest does not release it within {@code timeoutMillis}
     */
    static void unplug(QmpClient qmp, QemuCommand.ShareDevice d, long timeoutMillis) throws QmpException {
        CompletableFuture<QmpClient.QmpEvent> deleted = qmp.nextEvent(e -> e.name().equals("DEVICE_DELETED")
                && e.data().has("device") && d.id().equals(e.data().get("device").getAsString()));
        JsonObject id = new JsonObject();
        id.addProperty("id", d.id());
        try {
            qmp.execute("device_del", id);
            deleted.get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new QmpException("", "the guest did not release the device of share " + d.share() + " within "
                    + timeoutMillis / 1000 + " s (it needs ACPI PCI hot-plug; the device stays until it does)");
        } catch (ExecutionException e) {
            throw new QmpException("", "device_del: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("", "device_del: interrupted");
        } finally {
            deleted.cancel(false);
        }
        JsonObject chardev = new JsonObject();
        chardev.addProperty("id", d.chardev());
        // the device is gone, so its chardev is free: a failure here is worth reporting
        qmp.execute("chardev-remove", chardev);
    }

    /**
     * Removes the device's chardev, quietly: after a refused device_add, or a device the guest
     * ejected by itself, there is nobody to tell.
     */
    static void removeChardev(QmpClient qmp, QemuCommand.ShareDevice d) {
        JsonObject id = new JsonObject();
        id.addProperty("id", d.chardev());
        try {
            qmp.execute("chardev-remove", id);
        } catch (QmpException e) {
            org.slf4j.LoggerFactory.getLogger(Hotplug.class).debug("chardev-remove {}: {}", d.chardev(), e.getMessage());
        }
    }
}

package org.jvirtiofs.vm.qemu;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shares plugged into one VM as vhost-user-fs devices: each one's QEMU id (fs0, fs1, ...
 * within a boot), its PCIe root port on q35, and which ones a detach is unplugging now.
 */
final class ShareDevices {
    private final Map<String, QemuCommand.ShareDevice> attached = new LinkedHashMap<>();
    /** Device ids a detach is unplugging: their DEVICE_DELETED is the detach's to handle. */
    private final Set<String> detaching = new HashSet<>();
    private int nextId;
    private int ports;

    /** Forgets every device: a new boot with {@code ports} root ports for shares (0 without PCI Express). */
    synchronized void reset(int ports) {
        attached.clear();
        detaching.clear();
        nextId = 0;
        this.ports = ports;
    }

    /** A new device for {@code share}: the next id, and the first free root port if there are ports. */
    synchronized QemuCommand.ShareDevice allocate(String vm, String share, Path socket) {
        String port = null;
        if (ports > 0) {
            List<String> used = attached.values().stream().map(QemuCommand.ShareDevice::port).toList();
            for (int i = 0; i < ports && port == null; i++) {
                port = used.contains(QemuCommand.port(i)) ? null : QemuCommand.port(i);
            }
            if (port == null) {
                throw new IllegalStateException("vm " + vm + " has no free PCIe root port for another share (all "
                        + ports + " in use; hotplug-slots adds spare ones at its next start)");
            }
        }
        return new QemuCommand.ShareDevice(share, socket, "fs" + nextId++, port);
    }

    synchronized void add(QemuCommand.ShareDevice d) {
        attached.put(d.share(), d);
    }

    synchronized QemuCommand.ShareDevice get(String share) {
        return attached.get(share);
    }

    synchronized boolean contains(String share) {
        return attached.containsKey(share);
    }

    synchronized List<String> names() {
        return List.copyOf(attached.keySet());
    }

    /** Marks the device being unplugged by a detach (or no longer). */
    synchronized void detaching(String id, boolean now) {
        if (now) {
            detaching.add(id);
        } else {
            detaching.remove(id);
        }
    }

    synchronized void remove(String share) {
        attached.remove(share);
    }

    /**
     * The guest released device {@code id} by itself (or after a detach gave up waiting): removes
     * and returns it; null if it is unknown or a detach is handling it.
     */
    synchronized QemuCommand.ShareDevice released(String id) {
        if (detaching.contains(id)) {
            return null;
        }
        QemuCommand.ShareDevice gone = attached.values().stream().filter(d -> d.id().equals(id)).findFirst().orElse(null);
        if (gone != null) {
            attached.remove(gone.share());
        }
        return gone;
    }
}

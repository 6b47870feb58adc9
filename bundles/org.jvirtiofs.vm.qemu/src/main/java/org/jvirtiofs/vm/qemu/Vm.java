package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.api.vm.VmState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One configured VM and, while it runs, its QEMU process. Start, stop, attach and detach are
 * serialized by one lock (each may wait for QEMU or the guest); the fields an operator reads are
 * guarded by the object's monitor, so listings never wait behind a boot.
 *
 * <p>Never leaves anything half-started: a start that fails at any step has no process, no
 * sockets and no attached shares, and keeps the reason in the FAILED state.
 */
final class Vm {
    private static final Logger LOG = LoggerFactory.getLogger(Vm.class);
    private static final long QUIT_MILLIS = 10_000;
    private static final long UNPLUG_MILLIS = 30_000;
    private static final String REFUSED = "the last configuration was refused, it runs with the one before: ";

    /** What a VM needs from its manager. */
    interface Context {
        /** The host's QEMU and KVM. */
        Host host();

        /**
         * The vhost-user socket of {@code share}, which {@code vm} may attach now.
         *
         * @throws IllegalStateException if the share is not running over vhost-user, or serves a guest already
         */
        Path shareSocket(String share, String vm);

        /** Stores a new share list in the VM's configuration (after an attach or detach). */
        void persistShares(Vm vm, List<String> shares);
    }

    private final String configId;
    private final Path dataDir;
    private final Context context;
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final ShareDevices devices = new ShareDevices();

    // guarded by this
    private VmSettings settings;
    private VmState state = VmState.STOPPED;
    private String reason = "";
    private QemuProcess qemu;
    /** The accelerator of the last boot, shown once it has stopped. */
    private VmSettings.Accel lastAccel;
    private boolean stopping;
    /** A stop came while nothing ran: an autostart still waiting for its shares must not boot it. */
    private boolean held;
    private boolean forced;

    /** A VM for {@code settings}, not running; its console and QEMU log default to files in {@code dataDir}. */
    Vm(String configId, VmSettings settings, Path dataDir, Context context) {
        this.configId = configId;
        this.settings = settings;
        this.dataDir = dataDir;
        this.context = context;
    }

    String configId() {
        return configId;
    }

    synchronized VmSettings settings() {
        return settings;
    }

    synchronized VmState state() {
        return state;
    }

    /** Whether QEMU runs, or is being started or stopped. */
    synchronized boolean active() {
        return state == VmState.STARTING || state == VmState.RUNNING || state == VmState.STOPPING;
    }

    /** Whether a stop since the last start asked that it not boot. */
    synchronized boolean held() {
        return held;
    }

    /** Whether {@code share} is plugged in now, or about to be at boot. */
    synchronized boolean uses(String share) {
        return devices.contains(share) || (state == VmState.STARTING && settings.shares().contains(share));
    }

    /** The console file. */
    synchronized Path consoleFile() {
        return settings.console() != null ? settings.console() : dataDir.resolve("console.log");
    }

    synchronized VmInfo info() {
        boolean running = qemu != null;
        String accel = running ? qemu.accel().word() : lastAccel != null ? lastAccel.word() : settings.accel().word();
        return new VmInfo(settings.name(), state, running ? qemu.status() : "", reason, accel, settings.memoryMiB(),
                settings.cpus(), settings.boot(), settings.shares(), devices.names(), running ? qemu.pid() : -1,
                consoleFile().toString(), running ? qemu.consoleSocket().toString() : "");
    }

    /** Marks the VM FAILED without starting it (a configuration it cannot run with). */
    synchronized void fail(String why) {
        state = VmState.FAILED;
        reason = why;
        notifyAll();
    }

    /** A new configuration of this running VM was refused: it keeps running as it was, and says so. */
    void refused(String why) {
        LOG.warn("vm {}: the new configuration is refused ({}); it keeps running with the one it has",
                settings().name(), why);
        synchronized (this) {
            reason = REFUSED + why;
        }
    }

    /**
     * New settings from the configuration. A running VM takes a changed share list live (shares
     * added are plugged in, shares removed are unplugged); anything else applies at its next boot.
     */
    void reconfigure(VmSettings next) {
        lifecycle.lock();
        try {
            VmSettings before;
            synchronized (this) {
                before = settings;
                settings = next;
                if (state == VmState.FAILED && !active()) {
                    state = VmState.STOPPED;
                    reason = "";
                } else if (reason.startsWith(REFUSED)) {
                    reason = "";
                }
            }
            if (!active()) {
                return;
            }
            if (!before.sameMachine(next)) {
                LOG.info("vm {}: the new configuration applies at its next start", next.name());
            }
            for (String share : before.shares()) {
                if (!next.shares().contains(share) && isAttached(share)) {
                    tryLive(() -> unplug(share), "detach " + share);
                }
            }
            for (String share : next.shares()) {
                if (!isAttached(share)) {
                    tryLive(() -> plug(share), "attach " + share);
                }
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Boots QEMU and returns once it runs the guest.
     *
     * @throws IllegalStateException if it is running already, or cannot start (then FAILED with the reason)
     */
    VmInfo start() {
        lifecycle.lock();
        try {
            VmSettings s;
            synchronized (this) {
                if (active()) {
                    throw new IllegalStateException("vm " + settings.name() + " is already " + state);
                }
                s = settings;
                held = false;
                state = VmState.STARTING;
                reason = "";
                stopping = false;
                forced = false;
            }
            try {
                checkBootFiles(s);
                Path binary = context.host().qemu(s.qemu());
                List<QemuCommand.ShareDevice> boot = preflight(s);
                QemuProcess p = Boot.launch(s, binary, context.host(), boot, consoleFile(),
                        dataDir.resolve("qemu.log"), this::note);
                synchronized (this) {
                    qemu = p;
                    lastAccel = p.accel();
                    state = VmState.RUNNING;
                    notifyAll();
                }
                p.qmp().listen(this::onEvent);
                Thread supervisor = new Thread(() -> supervise(p), "vm-" + s.name());
                supervisor.setDaemon(true);
                supervisor.start();
                LOG.info("vm {}: running (QEMU pid {}, {}, {} MiB, shares {})", s.name(), p.pid(), p.accel().word(),
                        s.memoryMiB(), s.shares().isEmpty() ? "none" : String.join(", ", s.shares()));
                return info();
            } catch (IllegalStateException | IOException e) {
                devices.reset(0);
                String why = e.getMessage();
                fail(why);
                LOG.warn("vm {}: cannot start: {}", s.name(), why);
                throw new IllegalStateException("vm " + s.name() + " cannot start: " + why);
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** Power-down, then quit if the guest does not obey in time; returns once QEMU has exited. */
    VmInfo stop() {
        lifecycle.lock();
        try {
            QemuProcess p;
            int seconds;
            synchronized (this) {
                if (qemu == null) {
                    held = true;
                    return info();
                }
                p = qemu;
                seconds = settings.stopSeconds();
                stopping = true;
                state = VmState.STOPPING;
            }
            try {
                p.qmp().execute("system_powerdown", null);
            } catch (QmpException e) {
                LOG.warn("vm {}: system_powerdown: {}", p.vm(), e.getMessage());
            }
            try {
                if (!p.waitFor(seconds * 1000L)) {
                    synchronized (this) {
                        forced = true;
                    }
                    LOG.warn("vm {}: the guest did not power off within {} s; quitting QEMU", p.vm(), seconds);
                    try {
                        p.qmp().execute("quit", null, QUIT_MILLIS);
                    } catch (QmpException e) {
                        LOG.debug("vm {}: quit: {}", p.vm(), e.getMessage());
                    }
                    if (!p.waitFor(QUIT_MILLIS)) {
                        p.kill();
                    }
                }
                awaitSupervisor(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.kill();
            }
            return info();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Hot-plugs {@code share}; on a stopped VM, only adds it to the configuration for the next boot.
     *
     * @throws IllegalStateException if it is attached already, cannot be attached, or QEMU refuses
     */
    VmInfo attach(String share) {
        lifecycle.lock();
        try {
            List<String> shares = new ArrayList<>(settings().shares());
            if (shares.contains(share) && (!active() || isAttached(share))) {
                throw new IllegalStateException("share " + share + " is already attached to vm " + settings().name());
            }
            if (active()) {
                plug(share);
            } else {
                context.shareSocket(share, settings().name()); // a share that exists and could serve it
            }
            if (!shares.contains(share)) {
                shares.add(share);
                setShares(shares);
            }
            return info();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Unplugs {@code share} (waiting for the guest to release it) and drops it from the configuration.
     *
     * @throws IllegalArgumentException if it is not attached
     * @throws IllegalStateException if the guest does not release it in time
     */
    VmInfo detach(String share) {
        lifecycle.lock();
        try {
            List<String> shares = new ArrayList<>(settings().shares());
            if (!shares.contains(share) && !isAttached(share)) {
                throw new IllegalArgumentException("share " + share + " is not attached to vm " + settings().name());
            }
            if (isAttached(share)) {
                unplug(share);
            }
            shares.remove(share);
            setShares(shares);
            return info();
        } finally {
            lifecycle.unlock();
        }
    }

    /** Follows the console until the returned session is closed. @throws IllegalStateException if not running */
    VmManager.ConsoleSession openConsole(Consumer<byte[]> output) {
        QemuProcess p;
        synchronized (this) {
            if (qemu == null) {
                throw new IllegalStateException("vm " + settings.name() + " is not running (" + state + ")");
            }
            p = qemu;
        }
        return p.openConsole(output);
    }

    // --- inside the lifecycle lock ---

    /** Fails unless every file the boot reads is there. */
    private static void checkBootFiles(VmSettings s) {
        for (Path file : s.bootFiles()) {
            if (!Files.isReadable(file)) {
                throw new IllegalStateException((file.equals(s.disk()) ? "disk " : file.equals(s.kernel()) ? "kernel "
                        : "initrd ") + file + (Files.exists(file) ? " is not readable" : " does not exist"));
            }
        }
    }

    /** The accelerator and the shares' devices, checked: nothing starts when one is missing. */
    private List<QemuCommand.ShareDevice> preflight(VmSettings s) {
        if (s.accel() == VmSettings.Accel.KVM && context.host().kvmUnavailable() != null) {
            throw new IllegalStateException("accel kvm: KVM cannot be used (" + context.host().kvmUnavailable()
                    + "); use accel tcg or auto");
        }
        devices.reset(s.pciExpress() ? s.shares().size() + s.hotplugSlots() : 0);
        List<QemuCommand.ShareDevice> boot = new ArrayList<>();
        for (String share : s.shares()) {
            QemuCommand.ShareDevice d = devices.allocate(s.name(), share, context.shareSocket(share, s.name()));
            devices.add(d);
            boot.add(d);
        }
        return boot;
    }

    private void note(String why) {
        LOG.warn("vm {}: {}", settings().name(), why);
        synchronized (this) {
            reason = why;
        }
    }

    private void plug(String share) {
        QemuProcess p = running();
        QemuCommand.ShareDevice d = devices.allocate(p.vm(), share, context.shareSocket(share, p.vm()));
        try {
            Hotplug.plug(p.qmp(), d);
        } catch (QmpException e) {
            throw new IllegalStateException("vm " + p.vm() + ": QEMU refused share " + share + ": " + e.getMessage());
        }
        devices.add(d);
        LOG.info("vm {}: share {} attached as {}", p.vm(), share, d.id());
    }

    private void unplug(String share) {
        QemuProcess p = running();
        QemuCommand.ShareDevice d = devices.get(share);
        devices.detaching(d.id(), true);
        try {
            Hotplug.unplug(p.qmp(), d, UNPLUG_MILLIS);
        } catch (QmpException e) {
            throw new IllegalStateException("vm " + p.vm() + ": cannot detach share " + share + ": " + e.getMessage());
        } finally {
            devices.detaching(d.id(), false);
        }
        devices.remove(share);
        LOG.info("vm {}: share {} detached", p.vm(), share);
    }

    private synchronized QemuProcess running() {
        if (qemu == null || state != VmState.RUNNING) {
            throw new IllegalStateException("vm " + settings.name() + " is not running (" + state + ")");
        }
        return qemu;
    }

    private boolean isAttached(String share) {
        return devices.contains(share);
    }

    private void setShares(List<String> shares) {
        VmSettings next;
        synchronized (this) {
            settings = settings.withShares(shares);
            next = settings;
        }
        context.persistShares(this, next.shares());
    }

    private void tryLive(Runnable change, String what) {
        try {
            change.run();
        } catch (IllegalStateException e) {
            LOG.warn("vm {}: {} from the configuration failed: {}", settings().name(), what, e.getMessage());
        }
    }

    // --- the process's end ---

    /** Devices the guest ejected by itself (or late, after a detach gave up waiting). */
    private void onEvent(QmpClient.QmpEvent e) {
        if (!e.name().equals("DEVICE_DELETED") || !e.data().has("device")) {
            return;
        }
        QemuCommand.ShareDevice gone = devices.released(e.data().get("device").getAsString());
        QemuProcess p;
        synchronized (this) {
            p = qemu;
        }
        if (gone == null || p == null) {
            return;
        }
        LOG.info("vm {}: the guest released share {}", p.vm(), gone.share());
        // not on the QMP reader's thread: the command's answer arrives there
        Thread cleanup = new Thread(() -> Hotplug.removeChardev(p.qmp(), gone), "vm-" + p.vm() + "-unplug");
        cleanup.setDaemon(true);
        cleanup.start();
    }

    private void supervise(QemuProcess p) {
        int code;
        try {
            code = p.waitFor();
            p.console().drain(2_000);
        } catch (InterruptedException e) {
            return;
        }
        p.close();
        synchronized (this) {
            if (qemu != p) {
                return;
            }
            qemu = null;
            devices.reset(0);
            if (stopping) {
                state = VmState.STOPPED;
                reason = forced ? "stopped: QEMU quit after the guest did not power off within "
                        + settings.stopSeconds() + " s" : "stopped: the guest powered off";
            } else if (code == 0) {
                state = VmState.STOPPED;
                reason = "the guest powered off";
            } else {
                state = VmState.FAILED;
                String said = p.logTail(3);
                reason = "QEMU exited with " + code + (said.isEmpty() ? "" : ": " + said);
            }
            notifyAll();
        }
        LOG.info("vm {}: {} (QEMU exit code {})", p.vm(), info().reason(), code);
    }

    private synchronized void awaitSupervisor(QemuProcess p) throws InterruptedException {
        long deadline = System.currentTimeMillis() + QUIT_MILLIS;
        while (qemu == p && System.currentTimeMillis() < deadline) {
            wait(100);
        }
    }
}

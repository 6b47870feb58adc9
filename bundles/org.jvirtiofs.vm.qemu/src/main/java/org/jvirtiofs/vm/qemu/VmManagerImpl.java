package org.jvirtiofs.vm.qemu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.api.vm.VmState;
import org.jvirtiofs.config.FactoryConfigurations;
import org.jvirtiofs.config.StoredConfigurations;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ManagedServiceFactory;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM launcher: receives every VM configuration (as the {@link ManagedServiceFactory} of
 * {@link VmManager#FACTORY_PID}) and keeps one {@link Vm} per configuration; boots those marked
 * autostart once their shares run; powers every VM down when the platform stops.
 */
@Component(service = {VmManager.class, ManagedServiceFactory.class}, immediate = true,
        property = Constants.SERVICE_PID + "=" + VmManager.FACTORY_PID,
        configurationPid = VmManager.FACTORY_PID, configurationPolicy = ConfigurationPolicy.IGNORE)
@Designate(ocd = VmConfig.class, factory = true)
public final class VmManagerImpl implements VmManager, ManagedServiceFactory, Vm.Context {
    private static final Logger LOG = LoggerFactory.getLogger(VmManagerImpl.class);
    private static final long CONFIG_WAIT_MILLIS = 10_000;
    /** How long an autostart waits for its shares to run (the platform may start them after the VM's configuration). */
    private static final long SHARE_WAIT_MILLIS = 60_000;

    private final Host host;
    /** VMs by configuration id. */
    private final Map<String, Vm> vms = new LinkedHashMap<>(); // guarded by this
    /** Configuration events in order, off Config Admin's thread: a VM may take a while to take one. */
    private final ExecutorService configEvents = Executors.newSingleThreadExecutor(daemon("vm-config"));
    /** Boots and stops, in parallel. */
    private final ExecutorService lifecycles = Executors.newCachedThreadPool(daemon("vm-lifecycle"));
    private Path dataRoot;

    @Reference
    private ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ShareManager shareManager;

    /** The launcher on the real host. */
    public VmManagerImpl() {
        this(new Host());
    }

    VmManagerImpl(Host host) {
        this.host = host;
    }

    @Activate
    void activate(BundleContext context) {
        dataRoot = context.getDataFile("vm").toPath();
    }

    /** Outside a framework (tests): VM files go below {@code dataRoot}. */
    void activate(Path dataRoot, ConfigurationAdmin configurationAdmin, ShareManager shareManager) {
        this.dataRoot = dataRoot;
        this.configurationAdmin = configurationAdmin;
        this.shareManager = shareManager;
    }

    @Deactivate
    void deactivate() {
        configEvents.shutdownNow();
        List<java.util.concurrent.Future<?>> stops = new ArrayList<>();
        for (Vm vm : snapshot()) {
            if (vm.active()) {
                stops.add(lifecycles.submit(vm::stop));
            }
        }
        for (java.util.concurrent.Future<?> f : stops) {
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (Exception e) {
                LOG.warn("stopping a VM: {}", e.toString());
            }
        }
        lifecycles.shutdownNow();
    }

    // --- ManagedServiceFactory: Config Admin's side ---

    @Override
    public String getName() {
        return "jvirtiofs VMs";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
        Map<String, Object> config = FactoryConfigurations.toMap(properties);
        configEvents.execute(() -> apply(pid, config));
    }

    @Override
    public void deleted(String pid) {
        configEvents.execute(() -> {
            Vm gone;
            synchronized (this) {
                gone = vms.remove(pid);
                notifyAll();
            }
            if (gone != null) {
                LOG.info("vm {} removed", gone.settings().name());
                if (gone.active()) {
                    lifecycles.execute(gone::stop);
                }
            }
        });
    }

    private void apply(String pid, Map<String, Object> config) {
        if (FactoryConfigurations.isEmpty(config)) {
            return; // FileInstall's own keys only: not an edit
        }
        String fallback = FactoryConfigurations.nameOf(pid, config);
        VmSettings next;
        try {
            next = VmSettings.parse(config, fallback);
        } catch (IllegalArgumentException e) {
            Vm running;
            synchronized (this) {
                running = vms.get(pid);
            }
            if (running != null && running.active()) {
                // a guest is not powered off for a bad edit (or a file read half-written): it keeps
                // its configuration until a good one arrives
                running.refused(e.getMessage());
                return;
            }
            LOG.warn("vm configuration {} refused: {}", pid, e.getMessage());
            VmSettings shown = placeholder(config, fallback != null ? fallback : pid);
            Vm failed = new Vm(pid, shown, dataDir(shown.name()), this);
            failed.fail(e.getMessage());
            replace(pid, failed);
            return;
        }
        Vm existing;
        synchronized (this) {
            existing = vms.get(pid);
        }
        if (existing != null && existing.settings().name().equals(next.name())) {
            existing.reconfigure(next);
            return;
        }
        Vm vm = new Vm(pid, next, dataDir(next.name()), this);
        String clash = clash(pid, next.name());
        if (clash != null) {
            vm.fail(clash);
        }
        replace(pid, vm);
        if (clash == null && next.autostart()) {
            lifecycles.execute(() -> autostart(vm));
        }
    }

    private void replace(String pid, Vm vm) {
        Vm old;
        synchronized (this) {
            old = vms.put(pid, vm);
            notifyAll();
        }
        if (old != null && old.active()) {
            lifecycles.execute(old::stop);
        }
    }

    /** Boots {@code vm} once the share manager runs its shares; a share that never comes up fails it. */
    private void autostart(Vm vm) {
        long deadline = System.currentTimeMillis() + SHARE_WAIT_MILLIS;
        for (String share : vm.settings().shares()) {
            while (!shareReady(share) && System.currentTimeMillis() < deadline && isCurrent(vm) && !vm.held()) {
                sleep(200);
            }
        }
        if (!isCurrent(vm) || vm.active() || vm.held()) {
            return; // gone, started by hand, or stopped by hand while it waited
        }
        try {
            vm.start();
        } catch (IllegalStateException e) {
            // already logged and kept in its state
        }
    }

    private boolean shareReady(String share) {
        ShareManager m = shareManager;
        Optional<ShareInfo> s = m == null ? Optional.empty() : m.share(share);
        return s.isPresent() && s.get().state() == ShareState.RUNNING;
    }

    private synchronized boolean isCurrent(Vm vm) {
        return vms.get(vm.configId()) == vm;
    }

    // --- VmManager: the shell's side ---

    @Override
    public List<VmInfo> vms() {
        List<VmInfo> infos = new ArrayList<>();
        for (Vm vm : snapshot()) {
            infos.add(vm.info());
        }
        infos.sort(Comparator.comparing(VmInfo::name));
        return infos;
    }

    @Override
    public Optional<VmInfo> vm(String name) {
        return find(name).map(Vm::info);
    }

    @Override
    public VmInfo create(String name, Map<String, ?> properties) {
        Map<String, Object> config = new LinkedHashMap<>(properties);
        config.put(NAME, name);
        VmSettings s = VmSettings.parse(config, name); // one-line errors before anything is stored
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("a VM named " + name + " exists");
        }
        for (Path file : s.bootFiles()) {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file);
            }
        }
        if (config.containsKey(SHARES)) {
            config.put(SHARES, VmSettings.sharesValue(s.shares())); // as a .cfg file can keep it
        }
        try {
            StoredConfigurations.named(configurationAdmin, FACTORY_PID, name).update(new Hashtable<>(config));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot store the configuration: " + e.getMessage());
        }
        return await(name, true).info();
    }

    @Override
    public void remove(String name) {
        Vm vm = require(name);
        vm.stop();
        try {
            configurationAdmin.getConfiguration(vm.configId(), "?").delete();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot delete the configuration: " + e.getMessage());
        }
        await(name, false);
    }

    @Override
    public VmInfo start(String name) {
        return require(name).start();
    }

    @Override
    public VmInfo stop(String name) {
        return require(name).stop();
    }

    @Override
    public VmInfo attach(String vm, String share) {
        Vm v = require(vm);
        ShareManager m = shareManager;
        if (m != null && m.share(share).isEmpty()) {
            throw new IllegalArgumentException("no share named " + share);
        }
        return v.attach(share);
    }

    @Override
    public VmInfo detach(String vm, String share) {
        return require(vm).detach(share);
    }

    @Override
    public List<String> console(String name, int lines) {
        try {
            return SerialConsole.tail(require(name).consoleFile(), lines);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the console of vm " + name + ": " + e.getMessage());
        }
    }

    @Override
    public ConsoleSession openConsole(String name, Consumer<byte[]> output) {
        return require(name).openConsole(output);
    }

    // --- Vm.Context ---

    @Override
    public Host host() {
        return host;
    }

    @Override
    public Path shareSocket(String share, String vm) {
        ShareManager m = shareManager;
        if (m == null) {
            throw new IllegalStateException("the share manager is not running: no shares to attach");
        }
        ShareInfo s = m.share(share).orElseThrow(() -> new IllegalStateException("share " + share + " does not exist"));
        if (s.state() != ShareState.RUNNING) {
            throw new IllegalStateException("share " + share + " is not running (" + s.state()
                    + (s.reason().isEmpty() ? "" : ": " + s.reason()) + ")");
        }
        if (!s.transport().startsWith("vhost-user:")) {
            throw new IllegalStateException("share " + share + " is served at " + s.transport()
                    + ", not over vhost-user: a VM needs a share with a socket");
        }
        for (Vm other : snapshot()) {
            if (!other.settings().name().equals(vm) && other.active() && other.uses(share)) {
                throw new IllegalStateException("share " + share + " is attached to vm " + other.settings().name()
                        + " (a vhost-user share serves one guest at a time)");
            }
        }
        if (s.connected()) {
            throw new IllegalStateException("share " + share + " already serves a guest "
                    + "(a vhost-user share serves one guest at a time)");
        }
        return Path.of(s.transport().substring("vhost-user:".length()));
    }

    @Override
    public void persistShares(Vm vm, List<String> shares) {
        try {
            Configuration c = StoredConfigurations.stored(configurationAdmin, vm.configId()).orElse(null);
            Dictionary<String, Object> props = c == null ? null : c.getProperties();
            if (props == null) {
                return;
            }
            props.put(SHARES, VmSettings.sharesValue(shares));
            c.update(props);
        } catch (IOException | RuntimeException e) {
            LOG.warn("vm {}: the shares are changed live but not stored: {}", vm.settings().name(), e.toString());
        }
    }

    // --- helpers ---

    private Vm require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no VM named " + name));
    }

    private synchronized Optional<Vm> find(String name) {
        return vms.values().stream().filter(v -> v.settings().name().equals(name)).findFirst();
    }

    private synchronized List<Vm> snapshot() {
        return List.copyOf(vms.values());
    }

    /** Another configuration's VM with the same name, as a reason to refuse; null if none. */
    private synchronized String clash(String pid, String name) {
        for (Vm other : vms.values()) {
            if (!other.configId().equals(pid) && other.settings().name().equals(name)
                    && other.state() != VmState.FAILED) {
                return "name " + name + " is already used by configuration " + other.configId();
            }
        }
        return null;
    }

    /** Waits for the VM named {@code name} to appear (or go). */
    private synchronized Vm await(String name, boolean present) {
        long deadline = System.currentTimeMillis() + CONFIG_WAIT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            Optional<Vm> vm = find(name); // the monitor is reentrant
            if (vm.isPresent() == present) {
                return vm.orElse(null);
            }
            try {
                wait(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("vm " + name + ": the configuration was " + (present ? "stored" : "deleted")
                + " but the launcher did not see it in time");
    }

    private Path dataDir(String name) {
        return dataRoot.resolve(name);
    }

    private static VmSettings placeholder(Map<String, Object> config, String name) {
        Object n = config.get(NAME);
        return new VmSettings(n != null ? n.toString() : name, null, null, "", null, 512, 1,
                VmSettings.Accel.AUTO, List.of(), null, null, List.of(), false, VmSettings.DEFAULT_QEMU, "pc", 0, 30, 0);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

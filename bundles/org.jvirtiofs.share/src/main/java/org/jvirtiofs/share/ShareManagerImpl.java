package org.jvirtiofs.share;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.share.ProviderInfo;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;
import org.jvirtiofs.config.FactoryConfigurations;
import org.jvirtiofs.config.StoredConfigurations;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ManagedServiceFactory;
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
 * The share manager: receives every share configuration (as the {@link ManagedServiceFactory}
 * of {@link ShareManager#FACTORY_PID}) and keeps one {@link Share} per configuration, bound to
 * the provider factory of its type; follows providers as they come and go.
 */
@Component(service = {ShareManager.class, ManagedServiceFactory.class}, immediate = true,
        property = Constants.SERVICE_PID + "=" + ShareManager.FACTORY_PID,
        configurationPid = ShareManager.FACTORY_PID, configurationPolicy = ConfigurationPolicy.IGNORE)
@Designate(ocd = ShareConfig.class, factory = true)
public final class ShareManagerImpl implements ShareManager, ManagedServiceFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ShareManagerImpl.class);
    private static final long ADD_WAIT_MILLIS = 10_000;

    /** Shares by configuration id (the factory configuration's PID). */
    private final Map<String, Share> shares = new LinkedHashMap<>(); // guarded by this
    private final List<Provider> providers = new CopyOnWriteArrayList<>();
    private final ShareWarmUps warmUps = new ShareWarmUps();

    @Reference
    private ConfigurationAdmin configurationAdmin;

    /** A registered provider factory with what its registration says. */
    private record Provider(FilesystemFactory factory, String type, String bundle, long ranking, long serviceId) {
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addProvider(FilesystemFactory factory, ServiceReference<FilesystemFactory> ref) {
        Object type = ref.getProperty(FilesystemFactory.TYPE_PROPERTY);
        if (type == null) {
            LOG.warn("provider {} from {} has no {} property; shares cannot name it", factory.getClass().getName(),
                    ref.getBundle().getSymbolicName(), FilesystemFactory.TYPE_PROPERTY);
            return;
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        providers.add(new Provider(factory, type.toString(),
                ref.getBundle().getSymbolicName() + " " + ref.getBundle().getVersion(),
                ranking instanceof Integer r ? r : 0, (Long) ref.getProperty(Constants.SERVICE_ID)));
        LOG.debug("provider {} available", type);
        for (Share share : snapshot()) {
            if (share.settings().provider().equals(type.toString())) {
                share.providerAvailable(best(type.toString()));
            }
        }
    }

    void removeProvider(FilesystemFactory factory) {
        providers.removeIf(p -> p.factory() == factory);
        for (Share share : snapshot()) {
            if (share.factory() == factory) {
                share.providerGone(factory);
                FilesystemFactory other = best(share.settings().provider());
                if (other != null) {
                    share.providerAvailable(other);
                }
            }
        }
    }

    @Deactivate
    void deactivate() {
        warmUps.stop();
        for (Share share : snapshot()) {
            share.stop();
        }
        synchronized (this) {
            shares.clear();
        }
    }

    // --- ManagedServiceFactory: Config Admin's side ---

    @Override
    public String getName() {
        return "jvirtiofs shares";
    }

    @Override
    public void updated(String pid, Dictionary<String, ?> properties) {
        Map<String, Object> config = FactoryConfigurations.toMap(properties);
        if (FactoryConfigurations.isEmpty(config)) {
            // FileInstall can deliver a file's configuration once with nothing but its own keys
            // just after the full one: that is not an edit, and must not stop a running share
            LOG.debug("configuration {} has no share keys yet; ignored", pid);
            return;
        }
        ShareSettings next;
        try {
            next = ShareSettings.parse(config, FactoryConfigurations.nameOf(pid, config));
        } catch (IllegalArgumentException e) {
            LOG.debug("configuration {} refused: {}", pid, config);
            Share serving;
            synchronized (this) {
                serving = shares.get(pid);
            }
            if (serving != null && serving.state() != ShareState.FAILED && serving.factory() != null) {
                // a guest's mount is not cut for a bad edit (or a file read half-written): the share
                // keeps its configuration until a good one arrives
                serving.refused(e.getMessage());
                return;
            }
            replace(pid, Share.failed(pid, placeholder(pid, config), e.getMessage() + " (configuration " + pid
                    + " has " + new java.util.TreeSet<>(config.keySet()) + ")"));
            return;
        }
        Share existing;
        synchronized (this) {
            existing = shares.get(pid);
        }
        if (existing != null && existing.state() != ShareState.FAILED && existing.factory() != null
                && existing.settings().name().equals(next.name())) {
            existing.reconfigure(next, best(next.provider()));
            return;
        }
        start(pid, next);
    }

    @Override
    public void deleted(String pid) {
        Share gone;
        synchronized (this) {
            gone = shares.remove(pid);
        }
        if (gone != null) {
            gone.stop();
            LOG.info("share {} removed", gone.settings().name());
        }
        retryFailed();
    }

    private void start(String pid, ShareSettings settings) {
        Share share = new Share(pid, settings, warmUps);
        String clash = clash(pid, settings);
        if (clash != null) {
            share.fail(clash);
        }
        replace(pid, share);
        if (clash == null) {
            FilesystemFactory factory = best(settings.provider());
            if (factory != null) {
                share.providerAvailable(factory);
            } else {
                share.waiting();
            }
        }
    }

    /** Puts {@code share} in place of the configuration's old share, stopping that one. */
    private void replace(String pid, Share share) {
        Share old;
        synchronized (this) {
            old = shares.put(pid, share);
            notifyAll();
        }
        if (old != null) {
            old.stop();
        }
    }

    /** Another share with the same name or transport, as a reason to refuse; null if none. */
    private synchronized String clash(String pid, ShareSettings settings) {
        for (Share other : shares.values()) {
            if (other.configId().equals(pid) || other.state() == ShareState.FAILED) {
                continue;
            }
            ShareSettings o = other.settings();
            if (o.name().equals(settings.name())) {
                return "name " + settings.name() + " is already used by configuration " + other.configId();
            }
            if (o.transport().equals(settings.transport())) {
                return settings.transport() + " is already used by share " + o.name();
            }
        }
        return null;
    }

    /** After a share goes, one that clashed with it may now start. */
    private void retryFailed() {
        for (Share share : snapshot()) {
            if (share.state() == ShareState.FAILED && clash(share.configId(), share.settings()) == null) {
                try {
                    Dictionary<String, Object> props = StoredConfigurations.stored(configurationAdmin, share.configId())
                            .map(Configuration::getProperties).orElse(null);
                    if (props != null) {
                        updated(share.configId(), props);
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.debug("cannot re-read {}: {}", share.configId(), e.toString());
                }
            }
        }
    }

    // --- ShareManager: the shell's side ---

    @Override
    public List<ShareInfo> shares() {
        List<ShareInfo> infos = new ArrayList<>();
        for (Share s : snapshot()) {
            infos.add(s.info());
        }
        infos.sort(Comparator.comparing(ShareInfo::name));
        return infos;
    }

    @Override
    public Optional<ShareInfo> share(String name) {
        return find(name).map(Share::info);
    }

    @Override
    public ShareInfo add(String name, Map<String, ?> properties) {
        Map<String, Object> config = new HashMap<>(properties);
        config.put(NAME, name);
        ShareSettings settings = ShareSettings.parse(config, name); // one-line errors before storing
        if (find(name).isPresent()) {
            throw new IllegalArgumentException("a share named " + name + " exists");
        }
        String source = settings.source();
        if (!source.isEmpty() && !Files.isDirectory(Path.of(source))) {
            throw new IllegalArgumentException("no such directory: " + source);
        }
        if (settings.mountpoint() != null && !Files.isDirectory(settings.mountpoint())) {
            throw new IllegalArgumentException("no such directory: " + settings.mountpoint());
        }
        String clash = clash("", settings);
        if (clash != null) {
            throw new IllegalArgumentException(clash);
        }
        try {
            StoredConfigurations.named(configurationAdmin, FACTORY_PID, name).update(new Hashtable<>(config));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot store the configuration: " + e.getMessage());
        }
        return awaitStarted(name);
    }

    @Override
    public void remove(String name) {
        Share share = find(name).orElseThrow(() -> new IllegalArgumentException("no share named " + name));
        try {
            Configuration c = configurationAdmin.getConfiguration(share.configId(), "?");
            c.delete();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot delete the configuration: " + e.getMessage());
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADD_WAIT_MILLIS);
        synchronized (this) {
            while (shares.containsKey(share.configId()) && System.nanoTime() < deadline) {
                waitQuietly(100);
            }
        }
    }

    @Override
    public ShareStats stats(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no share named " + name)).stats();
    }

    @Override
    public ShareInfo swap(String name, String providerType, Map<String, ?> options) {
        Share share = find(name).orElseThrow(() -> new IllegalArgumentException("no share named " + name));
        FilesystemFactory next = best(providerType);
        if (next == null) {
            throw new IllegalArgumentException("no provider of type '" + providerType + "' is installed");
        }
        ShareSettings nextSettings = share.settings().withProvider(providerType, options);
        try {
            share.swap(next, nextSettings);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        persist(share, nextSettings);
        return share.info();
    }

    @Override
    public List<ProviderInfo> providers() {
        Map<String, ProviderInfo> byType = new java.util.TreeMap<>();
        for (Provider p : providers) {
            FilesystemFactory best = best(p.type());
            if (best != p.factory()) {
                continue;
            }
            int users = 0;
            for (Share s : snapshot()) {
                if (s.factory() == p.factory()) {
                    users++;
                }
            }
            byType.put(p.type(), new ProviderInfo(p.type(), p.bundle(), canTakeOver(p.factory()), users));
        }
        return List.copyOf(byType.values());
    }

    // --- helpers ---

    /** Writes a swap into the share's configuration, so a restart keeps it; the share already runs it. */
    private void persist(Share share, ShareSettings settings) {
        try {
            Configuration c = StoredConfigurations.stored(configurationAdmin, share.configId()).orElse(null);
            Dictionary<String, Object> props = c == null ? null : c.getProperties();
            if (props == null) {
                return;
            }
            props.put(PROVIDER, settings.provider());
            settings.providerOptions().forEach(props::put);
            c.update(props);
        } catch (IOException | RuntimeException e) {
            LOG.warn("share {}: the swap is live but not stored: {}", settings.name(), e.toString());
        }
    }

    private ShareInfo awaitStarted(String name) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ADD_WAIT_MILLIS);
        while (System.nanoTime() < deadline) {
            Optional<Share> s = find(name);
            if (s.isPresent()) {
                // a new Share is WAITING with no reason until its provider has started it (or refused)
                ShareInfo info = s.get().info();
                if (info.state() != ShareState.WAITING || !info.reason().isEmpty()) {
                    return info;
                }
            }
            synchronized (this) {
                waitQuietly(20);
            }
        }
        throw new IllegalArgumentException("share " + name + " was stored but did not start in time");
    }

    private static boolean canTakeOver(FilesystemFactory factory) {
        try {
            return factory.getClass().getMethod("takeOver", Map.class, org.jvirtiofs.api.Handover.class)
                    .getDeclaringClass() != FilesystemFactory.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** The highest-ranked provider factory of {@code type}, or null. */
    private FilesystemFactory best(String type) {
        return providers.stream().filter(p -> p.type().equals(type))
                .max(Comparator.comparingLong(Provider::ranking).thenComparing(p -> -p.serviceId()))
                .map(Provider::factory).orElse(null);
    }

    private Optional<Share> find(String name) {
        synchronized (this) {
            return findLocked(name);
        }
    }

    private Optional<Share> findLocked(String name) {
        return shares.values().stream().filter(s -> s.settings().name().equals(name)).findFirst();
    }

    private synchronized List<Share> snapshot() {
        return List.copyOf(shares.values());
    }

    private void waitQuietly(long millis) {
        try {
            wait(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Settings that only name a broken configuration, to show it as FAILED. */
    private static ShareSettings placeholder(String pid, Map<String, Object> config) {
        Object name = config.get(NAME);
        String shown = name != null ? name.toString() : Optional.ofNullable(FactoryConfigurations.nameOf(pid, config)).orElse(pid);
        return new ShareSettings(shown, String.valueOf(config.getOrDefault(PROVIDER, ShareSettings.DEFAULT_PROVIDER)),
                null, null, 0, ShareSettings.DEFAULT_SUSPEND_SECONDS, 0, Map.of());
    }
}

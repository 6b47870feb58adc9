package org.jvirtiofs.shell;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jvirtiofs.api.share.ProviderInfo;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;

/** A share manager that keeps shares in a map and remembers what it was asked. */
class FakeShareManager implements ShareManager {
    final Map<String, ShareInfo> shares = new TreeMap<>();
    final Map<String, ShareStats> stats = new HashMap<>();
    final List<ProviderInfo> providers = new ArrayList<>();
    Map<String, ?> lastAdd;
    Map<String, ?> lastSwap;

    @Override
    public List<ShareInfo> shares() {
        return List.copyOf(shares.values());
    }

    @Override
    public Optional<ShareInfo> share(String name) {
        return Optional.ofNullable(shares.get(name));
    }

    @Override
    public ShareInfo add(String name, Map<String, ?> properties) {
        if (shares.containsKey(name)) {
            throw new IllegalArgumentException("a share named " + name + " exists");
        }
        lastAdd = properties;
        Object source = properties.get("source");
        Object mountpoint = properties.get(MOUNTPOINT);
        Object socket = properties.get(SOCKET);
        ShareInfo info = new ShareInfo(name, properties.containsKey(PROVIDER) ? properties.get(PROVIDER).toString() : "passthrough",
                source == null ? "" : source.toString(),
                socket != null ? "vhost-user:" + socket : "fuse:" + mountpoint, ShareState.RUNNING, "", false,
                Map.of());
        shares.put(name, info);
        return info;
    }

    @Override
    public void remove(String name) {
        if (shares.remove(name) == null) {
            throw new IllegalArgumentException("no share named " + name);
        }
    }

    @Override
    public ShareStats stats(String name) {
        if (!shares.containsKey(name)) {
            throw new IllegalArgumentException("no share named " + name);
        }
        return stats.get(name);
    }

    @Override
    public ShareInfo swap(String name, String providerType, Map<String, ?> options) {
        ShareInfo s = share(name).orElseThrow(() -> new IllegalArgumentException("no share named " + name));
        lastSwap = options;
        ShareInfo after = new ShareInfo(name, providerType, s.source(), s.transport(), s.state(), s.reason(),
                s.connected(), s.options());
        shares.put(name, after);
        return after;
    }

    @Override
    public List<ProviderInfo> providers() {
        return providers;
    }
}

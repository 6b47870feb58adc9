package org.jvirtiofs.vm.qemu;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jvirtiofs.api.share.ProviderInfo;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.api.share.ShareStats;

/**
 * The shares a VM launcher test declares, as the share manager would list them: only what the
 * launcher asks of shares (their state and transport). Real shares serve guests in the itests.
 */
final class Shares implements ShareManager {
    final Map<String, ShareInfo> shares = new ConcurrentHashMap<>();

    /** Declares a share in {@code state} on the vhost-user socket {@code socket}. */
    Shares put(String name, ShareState state, String reason, String transport, boolean connected) {
        shares.put(name, new ShareInfo(name, "passthrough", "/srv/" + name, transport, state, reason, connected, Map.of()));
        return this;
    }

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
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ShareStats stats(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ShareInfo swap(String name, String providerType, Map<String, ?> options) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ProviderInfo> providers() {
        return List.of();
    }
}

package org.jvirtiofs.api.share;

import java.util.Map;

/**
 * One share as the manager sees it now.
 *
 * @param name the share's name, also its virtiofs tag
 * @param provider the provider type it is configured with
 * @param source the host directory it serves, or "" for providers without one
 * @param transport where it is served: "vhost-user:/run/x.sock" or "fuse:/mnt/x"
 * @param state its state
 * @param reason why it is FAILED, WAITING or SUSPENDED; for a RUNNING share, why its last
 *     configuration was refused (it serves with the one before), else ""
 * @param connected whether a guest (or the kernel, for /dev/fuse) is attached
 * @param options the provider options in effect
 */
public record ShareInfo(String name, String provider, String source, String transport, ShareState state,
        String reason, boolean connected, Map<String, Object> options) {
    /** Keeps an immutable copy of the options. */
    public ShareInfo {
        options = Map.copyOf(options);
    }
}

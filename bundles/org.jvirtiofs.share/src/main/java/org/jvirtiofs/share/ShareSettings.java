package org.jvirtiofs.share;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.config.ConfigValues;
import org.jvirtiofs.config.FactoryConfigurations;

/**
 * A share's configuration, checked: the share-level keys, and everything else as provider
 * options. Config Admin gives typed values (Boolean, Integer, String[]); files give strings.
 *
 * @param name the share's name and virtiofs tag
 * @param provider the provider type
 * @param socket the vhost-user socket path, or null
 * @param mountpoint the /dev/fuse mountpoint, or null
 * @param threads worker threads per queue (vhost-user) or readers (/dev/fuse)
 * @param suspendSeconds how long requests wait for a missing provider before EIO
 * @param warmUpSeconds how long at most a vhost-user share rehearses its request path before its
 *     guest's first request, 0 for not at all ({@link ShareWarmUps})
 * @param providerOptions the options handed to the provider
 */
record ShareSettings(String name, String provider, String socket, Path mountpoint, int threads,
        int suspendSeconds, int warmUpSeconds, Map<String, Object> providerOptions) {
    static final String DEFAULT_PROVIDER = "passthrough";
    static final String SUSPEND_TIMEOUT = "suspend-timeout";
    static final int DEFAULT_SUSPEND_SECONDS = 10;
    static final String WARM_UP = "warm-up";
    /**
     * Off unless asked for: measured in the platform (docs/performance.md), a warm-up did not make
     * a guest's first work faster, and doubled the platform's CPU while the guest ran.
     */
    static final int DEFAULT_WARM_UP_SECONDS = 0;

    /** virtio-fs tags are at most 36 bytes (the device config's tag field); keep names shell-friendly. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,35}");
    private static final Set<String> SHARE_KEYS = Set.of(ShareManager.NAME, ShareManager.PROVIDER,
            ShareManager.SOCKET, ShareManager.MOUNTPOINT, ShareManager.THREADS, SUSPEND_TIMEOUT, WARM_UP);

    ShareSettings {
        providerOptions = Map.copyOf(providerOptions);
    }

    /**
     * Reads a configuration; {@code fallbackName} (the configuration's own name) is used when it
     * has no name key.
     *
     * @throws IllegalArgumentException with one line naming the key and the problem
     */
    static ShareSettings parse(Map<String, ?> config, String fallbackName) {
        ConfigValues values = new ConfigValues(config);
        String name = values.string(ShareManager.NAME, fallbackName);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name: '" + name + "' is not a share name "
                    + "(1-36 letters, digits, '.', '_' or '-', starting with a letter or digit)");
        }
        String provider = values.string(ShareManager.PROVIDER, DEFAULT_PROVIDER);
        String socket = values.string(ShareManager.SOCKET, null);
        String mountpoint = values.string(ShareManager.MOUNTPOINT, null);
        if ((socket == null) == (mountpoint == null)) {
            throw new IllegalArgumentException("share " + name + ": set exactly one of '" + ShareManager.SOCKET
                    + "' (vhost-user) or '" + ShareManager.MOUNTPOINT + "' (/dev/fuse)");
        }
        if (socket != null && !socket.startsWith("/")) {
            throw new IllegalArgumentException("socket: '" + socket + "' is not an absolute path");
        }
        int threads = values.integer(ShareManager.THREADS, 0, 0, 64);
        int suspend = values.integer(SUSPEND_TIMEOUT, DEFAULT_SUSPEND_SECONDS, 0, 3600);
        int warmUp = values.integer(WARM_UP, DEFAULT_WARM_UP_SECONDS, 0, 3600);
        Map<String, Object> options = new TreeMap<>();
        config.forEach((key, value) -> {
            if (!SHARE_KEYS.contains(key) && !FactoryConfigurations.FRAMEWORK_KEYS.contains(key) && value != null) {
                options.put(key, value instanceof String[] a ? String.join(",", a) : value);
            }
        });
        return new ShareSettings(name, provider, socket, mountpoint == null ? null : Path.of(mountpoint),
                threads, suspend, warmUp, options);
    }

    /** The host directory served, or "" if the provider has none. */
    String source() {
        Object s = providerOptions.get(FilesystemFactory.OPTION_SOURCE);
        return s == null ? "" : s.toString();
    }

    /** How the transport is named in listings: "vhost-user:PATH" or "fuse:PATH". */
    String transport() {
        if (socket != null) {
            return "vhost-user:" + socket;
        }
        return mountpoint != null ? "fuse:" + mountpoint : "";
    }

    /** Whether only the provider options (or type) differ from {@code other}. */
    boolean sameTransport(ShareSettings other) {
        return Objects.equals(socket, other.socket) && Objects.equals(mountpoint, other.mountpoint)
                && threads == other.threads;
    }

    /** These settings with another provider and options changed as given. */
    ShareSettings withProvider(String type, Map<String, ?> changes) {
        Map<String, Object> merged = new TreeMap<>(providerOptions);
        merged.putAll(changes);
        return new ShareSettings(name, type, socket, mountpoint, threads, suspendSeconds, warmUpSeconds, merged);
    }
}

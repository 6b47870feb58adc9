package org.jvirtiofs.api.share;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The running shares and the providers they can use. Shares are Config Admin factory
 * configurations of {@link #FACTORY_PID}; {@link #add} and {@link #remove} edit those
 * configurations (so a share added here persists like one from a file), and the manager
 * turns each into a running share. Errors are one-line messages an operator can act on.
 */
@ProviderType
public interface ShareManager {
    /** The factory PID of share configurations; a file {@code etc/org.jvirtiofs.share-NAME.cfg} makes one. */
    String FACTORY_PID = "org.jvirtiofs.share";

    /** Configuration key: the share's name and virtiofs tag (default: the configuration's name). */
    String NAME = "name";
    /** Configuration key: the provider type (default "passthrough"). */
    String PROVIDER = "provider";
    /** Configuration key: the vhost-user socket path QEMU connects to. */
    String SOCKET = "socket";
    /** Configuration key: a host directory to mount the share on over /dev/fuse instead. */
    String MOUNTPOINT = "mountpoint";
    /** Configuration key: the number of worker threads per queue (0: the queue thread serves). */
    String THREADS = "threads";

    /** Every configured share, by name. */
    List<ShareInfo> shares();

    /** The share named {@code name}, if configured. */
    Optional<ShareInfo> share(String name);

    /**
     * Adds a share by creating its configuration, and waits (a few seconds at most) for it to
     * leave the start-up state; the configuration is persisted by Config Admin.
     *
     * @param properties the configuration: {@link #PROVIDER}, {@link #SOCKET} or
     *     {@link #MOUNTPOINT}, and the provider's options ("source", "cache", "readonly", ...)
     * @throws IllegalArgumentException if the name is taken or malformed, or the configuration
     *     is refused before it is stored (no transport, a source that is not a directory, ...)
     */
    ShareInfo add(String name, Map<String, ?> properties);

    /** Removes the share's configuration; the share stops. @throws IllegalArgumentException if unknown */
    void remove(String name);

    /** The share's statistics. @throws IllegalArgumentException if unknown */
    ShareStats stats(String name);

    /**
     * Replaces the share's provider under a live guest: quiesces it, hands its state over to a
     * new provider of {@code providerType} with the share's options updated by {@code options},
     * and resumes. Persists the change in the share's configuration.
     *
     * @throws IllegalArgumentException if the share or provider type is unknown, or the new
     *     provider refuses the options; the old provider then keeps serving
     */
    ShareInfo swap(String name, String providerType, Map<String, ?> options);

    /** The installed provider types. */
    List<ProviderInfo> providers();
}

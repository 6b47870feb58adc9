package org.jvirtiofs.devfuse;

/**
 * How a provider is mounted through /dev/fuse.
 *
 * @param readers threads reading requests from /dev/fuse, each handling its request inline
 * @param allowOther let users other than the mounting one in (the guest-like default)
 * @param defaultPermissions let the kernel check modes against the attributes, as virtiofs does
 * @param readOnly mount read-only
 * @param source the mount source shown in /proc/mounts
 */
public record MountOptions(int readers, boolean allowOther, boolean defaultPermissions,
        boolean readOnly, String source) {

    /** Validates the options. */
    public MountOptions {
        if (readers < 1 || readers > 64) {
            throw new IllegalArgumentException("readers must be 1..64: " + readers);
        }
        if (source == null || source.isEmpty() || source.contains(",") || source.contains(" ")) {
            throw new IllegalArgumentException("source must be a non-empty word: " + source);
        }
    }

    /** Two readers, allow_other, default_permissions, read-write: like a virtiofs mount. */
    public static MountOptions defaults() {
        return new MountOptions(2, true, true, false, "jvirtiofs");
    }

    /** These options with another number of reader threads. */
    public MountOptions withReaders(int count) {
        return new MountOptions(count, allowOther, defaultPermissions, readOnly, source);
    }
}

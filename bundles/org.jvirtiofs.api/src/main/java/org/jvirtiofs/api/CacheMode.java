package org.jvirtiofs.api;

import java.util.Locale;

/**
 * How much the guest may cache, the {@code cache} option every provider understands, as in
 * virtiofsd {@code --cache}. Providers map it to entry/attribute timeouts and FOPEN_* flags.
 */
public enum CacheMode {
    /** Cache nothing: zero timeouts, and data goes direct (FOPEN_DIRECT_IO). */
    NEVER,
    /** Cache metadata for long, but data goes direct. */
    METADATA,
    /** Short timeouts and close-to-open consistency for data; the usual default. */
    AUTO,
    /** Cache everything for long, keep data across opens: only if nothing else edits the files. */
    ALWAYS;

    /** The option value, e.g. {@code "auto"}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode an option value names, ignoring case.
     *
     * @throws IllegalArgumentException naming the allowed values if {@code value} is none of them
     */
    public static CacheMode parse(String value) {
        for (CacheMode mode : values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                "cache must be one of never, metadata, auto, always; got '" + value + "'");
    }
}

package org.jvirtiofs.api;

import java.time.Duration;
import java.util.Locale;

/**
 * How much the guest may cache, the {@code cache} option every provider understands, as in
 * virtiofsd {@code --cache}. Providers map it to entry/attribute timeouts and FOPEN_* flags;
 * {@link #timeout()}, {@link #openFlags()}, {@link #opendirFlags()} and {@link #listsAttributes()}
 * are virtiofsd's mapping for a host directory.
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

    private static final Duration LONG = Duration.ofDays(1);
    private static final Duration SHORT = Duration.ofSeconds(1);

    /**
     * The entry and attribute timeout virtiofsd gives for this mode on a host directory: zero
     * (never), 1 s (auto), one day (metadata, always).
     */
    public Duration timeout() {
        return switch (this) {
            case NEVER -> Duration.ZERO;
            case AUTO -> SHORT;
            case METADATA, ALWAYS -> LONG;
        };
    }

    /** The FOPEN_* flags virtiofsd gives files opened in this mode: DIRECT_IO (never, metadata), KEEP_CACHE (always). */
    public int openFlags() {
        return switch (this) {
            case NEVER, METADATA -> OpenReply.FOPEN_DIRECT_IO;
            case AUTO -> 0;
            case ALWAYS -> OpenReply.FOPEN_KEEP_CACHE;
        };
    }

    /** The FOPEN_* flags for directories: cached listings (CACHE_DIR, KEEP_CACHE) for metadata and always. */
    public int opendirFlags() {
        return this == METADATA || this == ALWAYS ? OpenReply.FOPEN_CACHE_DIR | OpenReply.FOPEN_KEEP_CACHE : 0;
    }

    /**
     * Whether listings are worth carrying their entries' attributes (READDIRPLUS): in every mode
     * but never, whose zero timeouts would have the guest discard them and look each entry up
     * anyway; both QEMU daemons decide so.
     */
    public boolean listsAttributes() {
        return this != NEVER;
    }

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

package org.jvirtiofs.fs.passthrough;

import java.time.Duration;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.OpenReply;

/**
 * What the {@code cache} option means, as the Rust virtiofsd reads {@code --cache}: never gives
 * zero timeouts and direct I/O on files; auto gives 1 s timeouts and the page cache with
 * close-to-open consistency; metadata gives one-day timeouts, direct I/O on files and cached
 * directory listings; always gives one-day timeouts, KEEP_CACHE on files and CACHE_DIR on
 * directories. Long timeouts hide changes made on the host from the guest for that long.
 *
 * @param timeout entry and attribute timeout
 * @param openFlags FOPEN_* flags for OPEN, CREATE and TMPFILE
 * @param opendirFlags FOPEN_* flags for OPENDIR
 */
record CachePolicy(Duration timeout, int openFlags, int opendirFlags) {
    private static final Duration LONG = Duration.ofDays(1);
    private static final Duration SHORT = Duration.ofSeconds(1);

    /** The policy for {@code mode}. */
    static CachePolicy of(CacheMode mode) {
        return switch (mode) {
            case NEVER -> new CachePolicy(Duration.ZERO, OpenReply.FOPEN_DIRECT_IO, 0);
            case AUTO -> new CachePolicy(SHORT, 0, 0);
            case METADATA -> new CachePolicy(LONG, OpenReply.FOPEN_DIRECT_IO,
                    OpenReply.FOPEN_CACHE_DIR | OpenReply.FOPEN_KEEP_CACHE);
            case ALWAYS -> new CachePolicy(LONG, OpenReply.FOPEN_KEEP_CACHE,
                    OpenReply.FOPEN_CACHE_DIR | OpenReply.FOPEN_KEEP_CACHE);
        };
    }
}

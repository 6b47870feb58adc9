package org.jvirtiofs.fs.memory;

import java.time.Duration;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.OpenReply;

/**
 * What the {@code cache} option means here: how long the guest may trust entries and attributes,
 * and the FOPEN_* flags of files and directories.
 *
 * <p>Nothing but the guest changes a memory filesystem, so even long timeouts never show it stale
 * data; the option exists for testing a guest against each mode, and defaults to {@code always}.
 *
 * @param timeout entry and attribute timeout; zero also means missing names are not cached
 * @param openFlags FOPEN_* flags for OPEN and CREATE
 * @param opendirFlags FOPEN_* flags for OPENDIR
 */
record CachePolicy(Duration timeout, int openFlags, int opendirFlags) {
    // what virtiofsd uses for cache=always and cache=metadata
    private static final Duration LONG = Duration.ofDays(1);
    private static final Duration SHORT = Duration.ofSeconds(1);

    /** The policy for {@code mode}, as virtiofsd's --cache reads it. */
    static CachePolicy of(CacheMode mode) {
        return switch (mode) {
            case NEVER -> new CachePolicy(Duration.ZERO, OpenReply.FOPEN_DIRECT_IO, 0);
            case METADATA -> new CachePolicy(LONG, OpenReply.FOPEN_DIRECT_IO, 0);
            case AUTO -> new CachePolicy(SHORT, 0, 0);
            case ALWAYS -> new CachePolicy(LONG, OpenReply.FOPEN_KEEP_CACHE,
                    OpenReply.FOPEN_CACHE_DIR);
        };
    }
}

package org.jvirtiofs.fs.passthrough;

import java.time.Duration;
import org.jvirtiofs.api.CacheMode;

/**
 * What the {@code cache} option means, as the Rust virtiofsd reads {@code --cache}: never gives
 * zero timeouts and direct I/O on files; auto gives 1 s timeouts and the page cache with
 * close-to-open consistency; metadata gives one-day timeouts, direct I/O on files and cached
 * directory listings; always gives one-day timeouts, KEEP_CACHE on files and CACHE_DIR on
 * directories. Long timeouts hide changes made on the host from the guest for that long.
 *
 * <p>Close-to-open under auto: virtiofsd drops the guest's cached pages of a file at every
 * OPEN. Here an OPEN drops them only if the file changed since the OPEN that last dropped them
 * ({@link org.jvirtiofs.posix.DataStamp}), so a guest reading an unchanged file again reads its page cache.
 *
 * @param timeout entry and attribute timeout
 * @param openFlags FOPEN_* flags for OPEN, CREATE and TMPFILE
 * @param opendirFlags FOPEN_* flags for OPENDIR
 * @param keepUnchanged an OPEN adds KEEP_CACHE when the file has not changed since the guest
 *     last dropped its pages
 * @param directWrites a lone write-only OPEN or CREATE may add FOPEN_DIRECT_IO ({@link
 *     PassthroughOptions#writesDirect}); never with writeback, which INIT grants only when the
 *     options ask for it
 */
record CachePolicy(Duration timeout, int openFlags, int opendirFlags, boolean keepUnchanged, boolean directWrites) {
    /** The policy for {@code mode}; {@code directWrites} as {@link PassthroughOptions#writesDirect} says. */
    static CachePolicy of(CacheMode mode, boolean directWrites) {
        return new CachePolicy(mode.timeout(), mode.openFlags(), mode.opendirFlags(),
                mode == CacheMode.AUTO, directWrites);
    }
}

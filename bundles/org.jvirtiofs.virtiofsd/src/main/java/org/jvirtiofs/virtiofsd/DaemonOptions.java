package org.jvirtiofs.virtiofsd;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a virtiofsd command line asks for, in the words of the Rust virtiofsd's options.
 *
 * @param socketPath where to listen (--socket-path), or null with {@code fd}
 * @param fd an inherited listening socket (--fd), or -1
 * @param sharedDir the directory to share (--shared-dir or -o source=)
 * @param cache never, auto, metadata or always
 * @param threadPoolSize 0 handles requests on the queue thread
 * @param readonly refuse every mutation with EROFS
 * @param xattr serve extended attributes
 * @param translateUid the --translate-uid entries, comma separated (e.g. {@code map:0:1000:1,forbid-guest:1:9}), or null
 * @param translateGid the --translate-gid entries, comma separated, or null
 * @param xattrmap the xattr name mapping rules (--xattrmap or -o xattrmap=), or null
 * @param inodeFileHandles never, prefer or mandatory
 * @param announceSubmounts report submounts to the guest
 * @param writeback accept the guest's writeback cache
 * @param logLevel error, warn, info, debug, trace or off
 * @param provider the provider type serving the share (a jvirtiofs extension; passthrough by default)
 * @param warmUpSeconds how long at most to rehearse the request path before the guest comes, 0 for not at all
 *     (a jvirtiofs extension; {@link org.jvirtiofs.vhostuser.warmup.WarmUp})
 * @param posixLock take the guest's fcntl locks on the host, where the host and other guests see them
 *     (on unless {@code -o no_posix_lock}, where virtiofsd's default is off)
 * @param flock take the guest's flock locks on the host (on unless {@code -o no_flock})
 * @param zeroMessageOpen let the guest open and close files without OPEN and RELEASE where the
 *     cache mode and locks allow it (on unless {@code -o no_zero_message_open}; a jvirtiofs extension)
 * @param directWrite at cache=auto, let a write-only open's writes bypass the guest's page cache
 *     (off unless {@code -o direct_write}; a jvirtiofs extension)
 * @param allowMmap let files opened with direct I/O (cache=never, metadata) be mapped shared,
 *     where the guest's kernel allows it (Linux 6.6 and later; --allow-mmap)
 * @param readdirplus list directories with their entries' attributes, except at cache=never
 *     (off with --no-readdirplus or {@code -o no_readdirplus})
 * @param rlimitNofile the open-files limit to set (--rlimit-nofile), 0 for the one the process
 *     started with, -1 for the platform's (a million where the process may, else its hard limit)
 * @param socketGroup the group whose members may connect to the socket (--socket-group), or null
 * @param notEnforced what options given for virtiofsd's sake do not do here, one line each
 *     (hardening this daemon lacks, such as --seccomp=kill), for the log
 */
public record DaemonOptions(String socketPath, int fd, String sharedDir, String cache, int threadPoolSize,
        boolean readonly, boolean xattr, String translateUid, String translateGid, String xattrmap,
        String inodeFileHandles, boolean announceSubmounts, boolean writeback, String logLevel, String provider,
        int warmUpSeconds, boolean posixLock, boolean flock, boolean zeroMessageOpen,
        boolean directWrite, boolean allowMmap, boolean readdirplus, long rlimitNofile, String socketGroup,
        List<String> notEnforced) {

    /** Long enough to see a guest boot under TCG through; a guest's first request ends it sooner. */
    static final int DEFAULT_WARM_UP_SECONDS = 10;

    /** The options handed to the provider's factory. */
    public Map<String, Object> providerOptions() {
        Map<String, Object> o = new LinkedHashMap<>();
        putIfSet(o, "source", sharedDir);
        o.put("cache", cache);
        o.put("readonly", readonly);
        o.put("xattr", xattr);
        o.put("writeback", writeback);
        o.put("announce-submounts", announceSubmounts);
        o.put("inode-file-handles", inodeFileHandles);
        o.put("posix-locks", posixLock);
        o.put("flock", flock);
        o.put("zero-message-open", zeroMessageOpen);
        o.put("direct-write", directWrite);
        o.put("allow-mmap", allowMmap);
        o.put("readdirplus", readdirplus);
        putIfSet(o, "uid-map", translateUid);
        putIfSet(o, "gid-map", translateGid);
        putIfSet(o, "xattrmap", xattrmap);
        return o;
    }

    private static void putIfSet(Map<String, Object> o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}

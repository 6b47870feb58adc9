package org.jvirtiofs.api;

import java.time.Duration;
import java.util.Objects;

/**
 * The reply to a name lookup: {@code struct fuse_entry_out}.
 *
 * <p>Returning an entry with a non-zero node id hands the kernel one lookup reference on that
 * node (see {@link FuseFilesystem}). Timeouts are durations; the wire splits them into seconds and
 * nanoseconds. {@link Duration#ZERO} means the kernel revalidates on every use (cache=never);
 * longer timeouts save round trips but hide changes made outside the guest for that long.
 *
 * @param nodeId the node the name resolves to; 0 only in a negative entry
 * @param generation distinguishes successive nodes that reuse a node id (only matters for NFS
 *     re-export of the guest mount); 0 is fine if node ids are never reused
 * @param attr the node's attributes
 * @param entryTimeout how long the kernel may trust the name-to-node binding without LOOKUP
 * @param attrTimeout how long the kernel may use {@code attr} without GETATTR
 */
public record Entry(long nodeId, long generation, Attr attr, Duration entryTimeout,
        Duration attrTimeout) {

    /** Checks that nothing is null and no timeout is negative. */
    public Entry {
        Objects.requireNonNull(attr, "attr");
        checkTimeout(entryTimeout, "entryTimeout");
        checkTimeout(attrTimeout, "attrTimeout");
    }

    /**
     * "No such name, and remember that for {@code timeout}": node id 0, which the kernel turns
     * into a cached negative dentry instead of asking again. Takes no lookup reference. In
     * readdirplus it means "no entry data for this name".
     */
    public static Entry negative(Duration timeout) {
        return new Entry(0, 0, Attr.ZERO, timeout, Duration.ZERO);
    }

    /** Whether this is a negative entry (node id 0). */
    public boolean isNegative() {
        return nodeId == 0;
    }

    static void checkTimeout(Duration timeout, String what) {
        Objects.requireNonNull(timeout, what);
        if (timeout.isNegative()) {
            throw new IllegalArgumentException(what + " is negative: " + timeout);
        }
    }
}

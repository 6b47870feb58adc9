package org.jvirtiofs.fs.memory;

import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.OpenReply;

/**
 * What the kernel is told about nodes: entries, attributes and open replies, with the timeouts
 * and FOPEN_* flags of the cache policy.
 */
final class Replies {
    private final CachePolicy cache;
    // ids are never reused within one filesystem; the generation tells filesystems apart, so an
    // NFS file handle from before a restart cannot name a new node that got the same id
    private final long generation;

    Replies(CachePolicy cache, long generation) {
        this.cache = cache;
        this.generation = generation;
    }

    /** The entry for {@code node}, which hands the kernel one more reference on it. */
    Entry reference(Node node) {
        node.addLookup();
        return new Entry(node.id(), generation, node.attr(), cache.timeout(), cache.timeout());
    }

    /**
     * A missing name: a negative entry the guest caches for the entry timeout, or ENOENT if it
     * may cache nothing.
     */
    Entry missing() throws FsException {
        if (cache.timeout().isZero()) {
            throw FsException.of(Errno.ENOENT);
        }
        return Entry.negative(cache.timeout());
    }

    /** The attributes of {@code node}. */
    AttrReply attr(Node node) {
        return node.attrReply(cache.timeout());
    }

    /** The reply to OPEN or CREATE: no FLUSH, which does nothing here. */
    OpenReply open(long handle) {
        return new OpenReply(handle, cache.openFlags() | OpenReply.FOPEN_NOFLUSH);
    }

    /** The reply to OPENDIR. */
    OpenReply opendir(long handle) {
        return new OpenReply(handle, cache.opendirFlags());
    }
}

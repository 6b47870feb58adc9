package org.jvirtiofs.api;

import org.osgi.annotation.versioning.ProviderType;

/** Where {@link FuseFilesystem#readdirplus} puts entries: the READDIRPLUS reply being built. */
@ProviderType
public interface DirEntryPlusSink {

    /**
     * Whether an entry with {@code name} would still fit, so a provider can stop before doing a
     * lookup it would have to undo.
     */
    boolean fits(FileName name);

    /**
     * Appends one entry and its lookup result to the reply.
     *
     * <p>An added entry with a non-zero node id hands the kernel one lookup reference on that
     * node. Give "." and ".." {@link Entry#negative} entries: the kernel ignores their lookup
     * part and will never FORGET them.
     *
     * @return true if it was added, and a non-negative {@code entry} now counts as a lookup;
     *     false if the reply is full, in which case nothing was added, nothing counts, and the
     *     provider undoes any reference it took for this entry, stops and returns
     */
    boolean add(DirEntry dirEntry, Entry entry);
}

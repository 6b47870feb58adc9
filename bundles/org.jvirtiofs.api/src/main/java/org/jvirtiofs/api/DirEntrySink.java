package org.jvirtiofs.api;

import org.osgi.annotation.versioning.ProviderType;

/** Where {@link FuseFilesystem#readdir} puts entries: the READDIR reply being built. */
@ProviderType
public interface DirEntrySink {

    /**
     * Appends one entry to the reply.
     *
     * @return true if it was added; false if the reply is full, in which case the entry was NOT
     *     added and the provider stops and returns (the kernel continues from the last added
     *     entry's {@link DirEntry#nextOffset()})
     */
    boolean add(DirEntry entry);
}

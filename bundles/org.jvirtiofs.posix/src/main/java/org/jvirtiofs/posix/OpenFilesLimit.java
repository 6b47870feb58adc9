package org.jvirtiofs.posix;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The process's limit on open files (RLIMIT_NOFILE), as an OSGi service of this bundle. Where a
 * share keeps a descriptor for each file its guest knows, this limit bounds how many files a
 * guest can hold. The platform raises it when it starts; a daemon told a limit of its own
 * (virtiofsd's {@code --rlimit-nofile}) sets it here.
 */
@ProviderType
public interface OpenFilesLimit {
    /** The limit the process had when the platform started, before raising it. */
    Rlimit atStart();

    /**
     * Sets the soft and the hard limit to {@code n}, or for 0 back to {@link #atStart()} (a
     * manager that set the limit before starting the process keeps it), as virtiofsd's
     * {@code --rlimit-nofile} does; returns the limit now in force.
     *
     * @throws PosixException EINVAL above the kernel's ceiling ({@code fs.nr_open}), EPERM above
     *     the hard limit without CAP_SYS_RESOURCE; the message says which and the numbers
     * @throws IllegalArgumentException for a negative {@code n}
     */
    Rlimit set(long n) throws PosixException;
}

/**
 * The project's one native boundary: Linux system calls behind a typed Java API.
 *
 * <p>Callers see only Java types: file descriptors as {@code int}, data as direct
 * {@link java.nio.ByteBuffer}s, results as records, failures as {@link org.jvirtiofs.posix.PosixException}.
 * How the calls reach the kernel (jnr-ffi and jnr-posix today) stays inside this bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.6.0")
package org.jvirtiofs.posix;

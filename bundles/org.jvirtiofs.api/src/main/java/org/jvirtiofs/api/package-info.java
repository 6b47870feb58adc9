/**
 * The provider SPI: the inode-level filesystem contract between the FUSE session and filesystem
 * providers, its value types, and the factory service a provider bundle registers.
 *
 * <p>Start at {@link org.jvirtiofs.api.FuseFilesystem}; it is the whole contract. Numeric constants
 * (errno, O_*, FATTR_*, FOPEN_*, S_IF*, DT_*) are the Linux x86_64 values and carry the names
 * {@code include/uapi/linux/fuse.h} and the C headers give them, so they can be grepped against the
 * spec.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.6.0")
package org.jvirtiofs.api;

/**
 * The FUSE wire protocol, transport-neutral: a {@link org.jvirtiofs.fuse.FuseSession} takes one
 * request as readable and writable byte segments, decodes it, calls the provider's
 * {@link org.jvirtiofs.api.FuseFilesystem} and encodes the reply in place.
 *
 * <p>Transports (virtqueues, /dev/fuse) need only the session, its {@link
 * org.jvirtiofs.fuse.SessionOptions} and the constants in {@link org.jvirtiofs.fuse.FuseConstants}
 * and {@link org.jvirtiofs.fuse.FuseOpcode}; the wire structs stay private to this bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.jvirtiofs.fuse;

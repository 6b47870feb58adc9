/**
 * The vhost-user transport for virtio-fs: a backend that QEMU's {@code vhost-user-fs-pci}
 * device connects to, serving descriptor chains from split virtqueues in shared guest memory
 * to a {@link org.jvirtiofs.vhostuser.RequestHandler} as zero-copy segments.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.4.0")
package org.jvirtiofs.vhostuser;

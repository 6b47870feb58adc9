/**
 * A share's request path rehearsed before its guest comes: FUSE requests shaped as Linux's,
 * through a loopback virtqueue, to a provider of the share's type on a directory of its own.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jvirtiofs.vhostuser.warmup;

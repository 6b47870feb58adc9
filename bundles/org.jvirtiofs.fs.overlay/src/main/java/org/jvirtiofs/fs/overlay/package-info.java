/**
 * The overlay provider: read-only lower layers and one writable upper directory served as one
 * tree, as the kernel's overlayfs merges them, with whiteouts in the overlayfs or the OCI format.
 *
 * <p>Read it in this order: {@link org.jvirtiofs.fs.overlay.OverlayFilesystem} (the
 * {@code FuseFilesystem}), {@code Tree} (resolving names through the layers, nodes, copy-up,
 * removal), {@code Listing} (merged directory listings), {@code Host} (confined host calls,
 * whiteouts and opaque markers), then {@link org.jvirtiofs.fs.overlay.OverlayFilesystemFactory}
 * and its {@link org.jvirtiofs.fs.overlay.OverlayOptions}.
 *
 * <p>Every native call goes through {@code org.jvirtiofs.posix}. Nothing here is exported.
 */
package org.jvirtiofs.fs.overlay;

/**
 * The share manager: each Config Admin factory configuration of
 * {@link org.jvirtiofs.api.share.ShareManager#FACTORY_PID} becomes a {@link Share} (a provider
 * behind a {@link SwitchableFilesystem}, a FUSE session and a transport). Exports nothing: the
 * service interface lives in {@code org.jvirtiofs.api.share}.
 */
package org.jvirtiofs.share;

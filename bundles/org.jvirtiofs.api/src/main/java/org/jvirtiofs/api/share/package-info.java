/**
 * Shares as a service: what the share manager offers the shell, the VM launcher and embedders.
 * A share is a provider serving one tree over one transport, made from a Config Admin factory
 * configuration ({@link org.jvirtiofs.api.share.ShareManager#FACTORY_PID}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jvirtiofs.api.share;

/**
 * Virtual machines as a service: what the VM launcher offers the shell and embedders. A VM is a
 * QEMU guest with shares attached as vhost-user-fs devices, made from a Config Admin factory
 * configuration ({@link org.jvirtiofs.api.vm.VmManager#FACTORY_PID}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.jvirtiofs.api.vm;

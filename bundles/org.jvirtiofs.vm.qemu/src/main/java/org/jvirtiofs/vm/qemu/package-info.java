/**
 * The VM launcher: each Config Admin factory configuration of
 * {@link org.jvirtiofs.api.vm.VmManager#FACTORY_PID} becomes a {@link Vm}, booted as a QEMU
 * process ({@link QemuProcess}, command line by {@link QemuCommand}) with its shares as
 * vhost-user-fs devices, driven over QMP ({@link QmpClient}) and watched through its serial
 * console ({@link SerialConsole}). Exports nothing: the service interface lives in
 * {@code org.jvirtiofs.api.vm}.
 */
package org.jvirtiofs.vm.qemu;

package org.jvirtiofs.api.vm;

/** Where a VM is in its life. */
public enum VmState {
    /** Configured, not running (never started, stopped, or the guest powered off). */
    STOPPED,
    /** QEMU is being started: shares checked, process launched, console and QMP connecting. */
    STARTING,
    /** QEMU runs the guest. */
    RUNNING,
    /** Asked to stop: the guest was sent an ACPI power-down; QEMU is quit if it does not obey. */
    STOPPING,
    /** The configuration cannot run, or QEMU failed; {@link VmInfo#reason()} says why. */
    FAILED
}

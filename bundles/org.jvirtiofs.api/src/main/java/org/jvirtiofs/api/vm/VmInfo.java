package org.jvirtiofs.api.vm;

import java.util.List;

/**
 * One VM as the launcher sees it now.
 *
 * @param name the VM's name
 * @param state its state
 * @param qemuStatus QEMU's run state as QMP reports it ("running", "paused", "shutdown", ...), or ""
 *     when not running
 * @param reason why it is FAILED or STOPPED (e.g. "the guest powered off"); "" when there is nothing to say
 * @param accel the accelerator QEMU runs it with now ("kvm" or "tcg"), or the configured one when not running
 * @param memoryMiB guest memory in MiB
 * @param cpus virtual CPUs
 * @param boot what it boots: "kernel PATH" or "disk PATH"
 * @param shares the shares configured for it, in order
 * @param attached the shares plugged into the running guest now (empty when not running)
 * @param pid QEMU's process id, or -1 when not running
 * @param console the file its serial console is written to
 * @param consoleSocket the Unix socket its console is served on while it runs (connect with
 *     {@code socat -,raw,echo=0,escape=0x1d UNIX-CONNECT:PATH}), or "" when not running
 */
public record VmInfo(String name, VmState state, String qemuStatus, String reason, String accel, long memoryMiB, int cpus, String boot,
        List<String> shares, List<String> attached, long pid, String console, String consoleSocket) {
    /** Keeps immutable copies of the lists. */
    public VmInfo {
        shares = List.copyOf(shares);
        attached = List.copyOf(attached);
    }
}

package org.jvirtiofs.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jvirtiofs.api.vm.VmInfo;
import org.jvirtiofs.api.vm.VmManager;
import org.jvirtiofs.api.vm.VmState;

/** A VM launcher that keeps VMs in a map, remembers what it was asked, and boots nothing. */
class FakeVmManager implements VmManager {
    final Map<String, VmInfo> vms = new TreeMap<>();
    final List<String> console = new ArrayList<>();
    Map<String, ?> lastCreate;

    static VmInfo vm(String name, VmState state, List<String> shares, List<String> attached, String reason) {
        return new VmInfo(name, state, state == VmState.RUNNING ? "running" : "", reason, "tcg", 512, 1, "kernel /k", shares, attached,
                state == VmState.RUNNING ? 4242 : -1, "/var/" + name + ".log", state == VmState.RUNNING ? "/run/c.sock" : "");
    }

    @Override
    public List<VmInfo> vms() {
        return List.copyOf(vms.values());
    }

    @Override
    public Optional<VmInfo> vm(String name) {
        return Optional.ofNullable(vms.get(name));
    }

    @Override
    public VmInfo create(String name, Map<String, ?> properties) {
        lastCreate = properties;
        VmInfo v = vm(name, VmState.STOPPED, List.of(), List.of(), "");
        vms.put(name, v);
        return v;
    }

    @Override
    public void remove(String name) {
        require(name);
        vms.remove(name);
    }

    @Override
    public VmInfo start(String name) {
        VmInfo v = require(name);
        if (v.shares().contains("broken")) {
            throw new IllegalStateException("vm " + name + " cannot start: share broken is not running (FAILED: x)");
        }
        return put(vm(name, VmState.RUNNING, v.shares(), v.shares(), ""));
    }

    @Override
    public VmInfo stop(String name) {
        VmInfo v = require(name);
        return put(vm(name, VmState.STOPPED, v.shares(), List.of(), "stopped: the guest powered off"));
    }

    @Override
    public VmInfo attach(String vm, String share) {
        VmInfo v = require(vm);
        List<String> s = new ArrayList<>(v.shares());
        s.add(share);
        return put(vm(vm, v.state(), s, v.state() == VmState.RUNNING ? s : List.of(), ""));
    }

    @Override
    public VmInfo detach(String vm, String share) {
        VmInfo v = require(vm);
        if (!v.shares().contains(share)) {
            throw new IllegalArgumentException("share " + share + " is not attached to vm " + vm);
        }
        List<String> s = new ArrayList<>(v.shares());
        s.remove(share);
        return put(vm(vm, v.state(), s, v.state() == VmState.RUNNING ? s : List.of(), ""));
    }

    @Override
    public List<String> console(String name, int lines) {
        require(name);
        return console.subList(Math.max(0, console.size() - lines), console.size());
    }

    @Override
    public ConsoleSession openConsole(String name, Consumer<byte[]> output) {
        throw new IllegalStateException("vm " + name + " is not running (STOPPED)");
    }

    private VmInfo require(String name) {
        VmInfo v = vms.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no VM named " + name);
        }
        return v;
    }

    private VmInfo put(VmInfo v) {
        vms.put(v.name(), v);
        return v;
    }
}

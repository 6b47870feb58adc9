package org.jvirtiofs.vm.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmSettingsTest {
    private static VmSettings parse(Map<String, ?> config) {
        return VmSettings.parse(config, "fallback");
    }

    private static String error(Map<String, ?> config) {
        return assertThrows(IllegalArgumentException.class, () -> parse(config)).getMessage();
    }

    @Test
    void aFileConfigurationOfStringsReadsAsTyped() {
        VmSettings s = parse(Map.of("kernel", "/boot/vmlinuz", "initrd", "/boot/initrd", "append", "console=ttyS0",
                "memory", "2G", "cpus", "2", "accel", "TCG", "shares", "web, src", "autostart", "true",
                "extra-args", "-no-reboot  -rtc base=utc", "felix.fileinstall.filename", "file:/etc/x.cfg"));
        assertEquals("fallback", s.name());
        assertEquals(Path.of("/boot/vmlinuz"), s.kernel());
        assertEquals(2048, s.memoryMiB());
        assertEquals(2, s.cpus());
        assertEquals(VmSettings.Accel.TCG, s.accel());
        assertEquals(List.of("web", "src"), s.shares());
        assertTrue(s.autostart());
        assertEquals(List.of("-no-reboot", "-rtc", "base=utc"), s.extraArgs());
        assertEquals("pc", s.machine());
        assertEquals(VmSettings.Accel.AUTO, parse(Map.of("disk", "/img.qcow2")).accel());
    }

    @Test
    void configAdminTypesAreTakenAsThey() {
        VmSettings s = parse(Map.of("name", "vm1", "disk", "/img.raw", "cpus", 4, "autostart", Boolean.FALSE,
                "shares", new String[] {"a", "b"}, "extra-args", new String[] {"-append", "a b"}, "memory", "768"));
        assertEquals("vm1", s.name());
        assertEquals(4, s.cpus());
        assertEquals(768, s.memoryMiB());
        assertEquals(List.of("a", "b"), s.shares());
        assertEquals(List.of("-append", "a b"), s.extraArgs(), "a list keeps spaces inside its items");
    }

    @Test
    void exactlyOneOfKernelAndDisk() {
        assertTrue(error(Map.of()).contains("set exactly one of 'kernel'"));
        assertTrue(error(Map.of("kernel", "/k", "disk", "/d")).contains("set exactly one of 'kernel'"));
        assertTrue(error(Map.of("disk", "/d", "initrd", "/i")).contains("go with 'kernel'"));
    }

    @Test
    void badValuesNameTheirKey() {
        assertEquals("kernel: 'boot/vmlinuz' is not an absolute path", error(Map.of("kernel", "boot/vmlinuz")));
        assertTrue(error(Map.of("disk", "/d", "memory", "lots")).startsWith("memory: 'lots' is not a memory size"));
        assertTrue(error(Map.of("disk", "/d", "memory", "8")).startsWith("memory: '8'"), "below 16 MiB");
        assertEquals("accel: 'hvf' is not kvm, tcg or auto", error(Map.of("disk", "/d", "accel", "hvf")));
        assertEquals("cpus: '0' is not a number from 1 to 255", error(Map.of("disk", "/d", "cpus", "0")));
        assertEquals("shares: 'a' is listed twice", error(Map.of("disk", "/d", "shares", "a,b,a")));
        assertEquals("shares: 'a b' is not a share name", error(Map.of("disk", "/d", "shares", "a b")));
        assertEquals("autostart: 'maybe' is not true or false", error(Map.of("disk", "/d", "autostart", "maybe")));
        assertTrue(error(Map.of("name", "no spaces", "disk", "/d")).startsWith("name: 'no spaces' is not a VM name"));
        assertEquals("qemu: 'bin/qemu' is neither a command name nor an absolute path",
                error(Map.of("disk", "/d", "qemu", "bin/qemu")));
    }

    @Test
    void anUnknownKeyIsRefusedRatherThanIgnored() {
        String e = error(Map.of("disk", "/d", "memroy", "1G"));
        assertTrue(e.startsWith("vm fallback: unknown key 'memroy' (known: "), e);
        assertTrue(e.contains("memory"), e);
    }

    @Test
    void onlyTheSharesDifferingIsALiveChange() {
        Map<String, Object> c = new HashMap<>(Map.of("disk", "/d", "shares", "a"));
        VmSettings a = parse(c);
        c.put("shares", "a,b");
        VmSettings b = parse(c);
        assertTrue(a.sameMachine(b));
        c.put("memory", "1G");
        assertFalse(a.sameMachine(parse(c)));
        assertEquals("a,b", VmSettings.sharesValue(b.shares()));
    }

    @Test
    void q35IsPciExpress() {
        assertTrue(parse(Map.of("disk", "/d", "machine", "q35")).pciExpress());
        assertTrue(parse(Map.of("disk", "/d", "machine", "pc-q35-7.2")).pciExpress());
        assertFalse(parse(Map.of("disk", "/d")).pciExpress());
    }
}

package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VmArgumentsTest {
    private static final VmArguments.CreateFlags NONE = new VmArguments.CreateFlags("", "", "", "", "", "", "", "", false);

    @Test
    void repeatedSharesAndOptionsArriveAsWordsAndAreCollected() {
        VmArguments a = VmArguments.parse("web", "machine=q35", List.of("dev", "--share", "src", "-s", "data", "-o",
                "stop-timeout=5"));
        assertEquals(List.of("dev"), a.positional());
        assertEquals(List.of("web", "src", "data"), a.shares());
        assertEquals(Map.of("machine", "q35", "stop-timeout", "5"), a.options());
        assertEquals("dev", a.name());
    }

    @Test
    void theConfigurationHasAbsolutePathsAndTypedValues() {
        VmArguments a = VmArguments.parse("web", "", List.of("dev"));
        Map<String, Object> c = a.configuration(new VmArguments.CreateFlags("img/vmlinuz", "/boot/initrd",
                "console=ttyS0 quiet", "", "1G", "2", "tcg", "", true), Path.of("/home/op"));
        assertEquals(Map.of("kernel", "/home/op/img/vmlinuz", "initrd", "/boot/initrd", "append", "console=ttyS0 quiet",
                "memory", "1G", "cpus", 2, "accel", "tcg", "shares", "web", "autostart", true), c);
        assertEquals(Map.of(), VmArguments.parse("", "", List.of("dev")).configuration(NONE, Path.of("/")));
        assertEquals(Map.of("disk", "/home/op/img/dev.qcow2", "console", "/var/log/dev.log", "shares", "a,b"),
                VmArguments.parse("a", "", List.of("dev", "-s", "b")).configuration(new VmArguments.CreateFlags("", "", "",
                        "img/dev.qcow2", "", "", "", "/var/log/dev.log", false), Path.of("/home/op")));
    }

    @Test
    void mistakesAreOneLine() {
        assertEquals("--share needs a share's name", assertThrows(IllegalArgumentException.class,
                () -> VmArguments.parse("", "", List.of("dev", "--share"))).getMessage());
        assertEquals("unknown option --kernal", assertThrows(IllegalArgumentException.class,
                () -> VmArguments.parse("", "", List.of("dev", "--kernal", "x"))).getMessage());
        assertEquals("unexpected argument other", assertThrows(IllegalArgumentException.class,
                () -> VmArguments.parse("", "", List.of("dev", "other")).name()).getMessage());
        assertEquals("--cpus: 'two' is not a whole number >= 0", assertThrows(IllegalArgumentException.class,
                () -> VmArguments.parse("", "", List.of("dev")).configuration(new VmArguments.CreateFlags("", "", "",
                        "", "", "two", "", "", false), Path.of("/"))).getMessage());
    }
}

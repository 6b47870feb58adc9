package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShareArgumentsTest {
    private static final Path CWD = Path.of("/home/op");
    private static final ShareArguments.AddFlags NO_FLAGS =
            new ShareArguments.AddFlags("", "", "", false, "", "", "", "");

    @Test
    void repeatedOptionsAfterTheOneGogoBoundAreCollectedInOrder() {
        ShareArguments a = ShareArguments.parse("a=1", List.of("web", "-o", "b=2", "/srv", "--option", "c = x=y"));
        assertEquals(List.of("web", "/srv"), a.positional());
        assertEquals(Map.of("a", "1", "b", "2", "c", "x=y"), a.options());
    }

    @Test
    void anOptionWithoutEqualsIsRefusedWithTheWordInTheMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.parse("xattr", List.of("web")));
        assertEquals("bad option 'xattr': expected key=value", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareArguments.parse("", List.of("web", "-o", "=1")));
    }

    @Test
    void aTrailingDashOHasNoValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.parse("", List.of("web", "-o")));
        assertEquals("-o needs a key=value", e.getMessage());
    }

    @Test
    void anUnknownFlagIsRefusedButADashAloneIsADir() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.parse("", List.of("web", "--bogus")));
        assertEquals("unknown option --bogus", e.getMessage());
        assertEquals(List.of("web", "-"), ShareArguments.parse("", List.of("web", "-")).positional());
    }

    @Test
    void addTurnsDirAndFlagsIntoTheShareConfigurationWithAbsolutePaths() {
        ShareArguments a = ShareArguments.parse("xattr=true", List.of("web", "srv/web"));
        ShareArguments.AddFlags flags = new ShareArguments.AddFlags("passthrough", "", "../mnt/web", true,
                "never", "0:1000:1", "0:100:1", "4");
        assertEquals("web", a.name());
        assertEquals(Map.of("source", "/home/op/srv/web", "provider", "passthrough", "mountpoint", "/home/mnt/web",
                "readonly", true, "cache", "never", "uid-map", "0:1000:1", "gid-map", "0:100:1", "threads", 4,
                "xattr", "true"), a.addConfiguration(flags, CWD));
    }

    @Test
    void addWithoutDirOrWithDashHasNoSource() {
        ShareArguments.AddFlags flags = new ShareArguments.AddFlags("memory", "/run/m.sock", "", false, "", "", "",
                "");
        Map<String, Object> expected = Map.of("provider", "memory", "socket", "/run/m.sock");
        assertEquals(expected, ShareArguments.parse("", List.of("m")).addConfiguration(flags, CWD));
        assertEquals(expected, ShareArguments.parse("", List.of("m", "-")).addConfiguration(flags, CWD));
    }

    @Test
    void flagsOverrideTheSameKeyGivenWithDashO() {
        ShareArguments a = ShareArguments.parse("cache=always", List.of("web", "/srv"));
        ShareArguments.AddFlags flags = new ShareArguments.AddFlags("", "", "/mnt", false, "never", "", "", "");
        assertEquals("never", a.addConfiguration(flags, CWD).get("cache"));
    }

    @Test
    void addNeedsANameAndAtMostADir() {
        assertEquals("missing NAME (usage: share:add NAME [DIR] [options])",
                assertThrows(IllegalArgumentException.class,
                        () -> ShareArguments.parse("", List.of()).addConfiguration(NO_FLAGS, CWD)).getMessage());
        assertEquals("unexpected argument c", assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.parse("", List.of("a", "b", "c")).addConfiguration(NO_FLAGS, CWD)).getMessage());
    }

    @Test
    void threadsMustBeAWholeNumber() {
        ShareArguments.AddFlags flags = new ShareArguments.AddFlags("", "", "/mnt", false, "", "", "", "many");
        assertEquals("--threads: 'many' is not a whole number >= 0", assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.parse("", List.of("a")).addConfiguration(flags, CWD)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareArguments.count("--threads", "-1"));
    }

    @Test
    void intervalsAreSecondsWithFractions() {
        assertEquals(1000, ShareArguments.millis("--interval", "1"));
        assertEquals(250, ShareArguments.millis("--interval", "0.25"));
        assertEquals("--interval: '0' is not a number of seconds > 0", assertThrows(IllegalArgumentException.class,
                () -> ShareArguments.millis("--interval", "0")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ShareArguments.millis("--interval", "soon"));
    }
}

package org.jvirtiofs.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.jvirtiofs.api.share.ProviderInfo;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareState;
import org.junit.jupiter.api.Test;

class ShareCommandsTest {
    private static final CommandSession SESSION = Console.session(Path.of("/home/op"));
    private final FakeShareManager manager = new FakeShareManager();
    private final ShareCommands commands = new ShareCommands(manager);

    @Test
    void listShowsEveryShareWithTheReasonOfThoseNotRunning() {
        manager.shares.put("web", new ShareInfo("web", "passthrough", "/srv/web", "fuse:/mnt/web",
                ShareState.RUNNING, "", true, Map.of()));
        manager.shares.put("lab", new ShareInfo("lab", "overlay", "", "vhost-user:/run/lab.sock",
                ShareState.WAITING, "waiting for a provider of type 'overlay'", false, Map.of()));
        Console c = Console.run(commands::list);
        assertEquals("""
                NAME  STATE    PROVIDER     SOURCE    TRANSPORT                 CONNECTED  REASON
                lab   WAITING  overlay      -         vhost-user:/run/lab.sock  no         waiting for a provider of type 'overlay'
                web   RUNNING  passthrough  /srv/web  fuse:/mnt/web             yes
                """, c.out);
        assertEquals("", c.err);
    }

    @Test
    void listWithoutSharesSaysSo() {
        assertEquals("no shares\n", Console.run(commands::list).out);
    }

    @Test
    void addPassesTheConfigurationAndPrintsTheShareLine() {
        Console c = Console.run(() -> commands.add(SESSION, "", "/run/w.sock", "", true, "never", "", "", "",
                "", "", "xattr=true", "web", "srv/web"));
        assertEquals(Map.of("source", "/home/op/srv/web", "socket", "/run/w.sock", "readonly", true, "cache", "never",
                "xattr", "true"), manager.lastAdd);
        assertTrue(c.out.startsWith("NAME "), c.out);
        assertTrue(c.out.contains("web   RUNNING  passthrough  /home/op/srv/web  vhost-user:/run/w.sock"), c.out);
    }

    @Test
    void addTakesOverlayLayersFromTheShellsDirectory() {
        Console c = Console.run(() -> commands.add(SESSION, "overlay", "/run/o.sock", "", false, "", "", "", "",
                "base:/srv/app:top", "up", "", "img"));
        assertEquals("", c.err);
        assertEquals(Map.of("provider", "overlay", "socket", "/run/o.sock",
                "lower", "/home/op/base:/srv/app:/home/op/top", "upper", "/home/op/up"), manager.lastAdd);
        Console bad = Console.run(() -> commands.add(SESSION, "overlay", "/run/o.sock", "", false, "", "", "", "",
                "a::b", "", "", "img"));
        assertEquals("share:add: --lower: an empty layer in 'a::b'\n", bad.err);
    }

    @Test
    void addErrorsAreOneLinePrefixedWithTheCommand() {
        manager.add("web", Map.of("mountpoint", "/m"));
        Console dup = Console.run(() -> commands.add(SESSION, "", "", "/m2", false, "", "", "", "", "", "", "", "web", "/srv"));
        assertEquals("", dup.out);
        assertEquals("share:add: a share named web exists\n", dup.err);
        Console bad = Console.run(() -> commands.add(SESSION, "", "", "/m2", false, "", "", "", "", "", "", "", "x", "/srv",
                "-o", "oops"));
        assertEquals("share:add: bad option 'oops': expected key=value\n", bad.err);
    }

    @Test
    void aShareStoredButFailedIsPrintedAndReportedAsAnError() {
        ShareCommands failing = new ShareCommands(new FakeShareManager() {
            @Override
            public ShareInfo add(String name, Map<String, ?> properties) {
                return new ShareInfo(name, "memory", "", "fuse:/m", ShareState.FAILED, "provider memory refused", false,
                        Map.of());
            }
        });
        Console c = Console.run(() -> failing.add(SESSION, "memory", "", "/m", false, "", "", "", "", "", "", "", "m"));
        assertTrue(c.out.contains("m     FAILED  memory"), c.out);
        assertEquals("share:add: m is FAILED: provider memory refused (the configuration is kept: share:remove m)\n",
                c.err);
    }

    @Test
    void removeAndItsUnknownShareError() {
        manager.add("web", Map.of("mountpoint", "/m"));
        assertEquals("removed web\n", Console.run(() -> commands.remove("web")).out);
        assertEquals("share:remove: no share named web\n", Console.run(() -> commands.remove("web")).err);
    }

    @Test
    void infoShowsEveryFieldAndOption() {
        manager.shares.put("web", new ShareInfo("web", "passthrough", "/srv/web", "fuse:/mnt/web",
                ShareState.RUNNING, "", true, Map.of("source", "/srv/web", "cache", "auto")));
        assertEquals("""
                name       web
                state      RUNNING
                reason     -
                provider   passthrough
                source     /srv/web
                transport  fuse:/mnt/web
                connected  yes

                OPTION  VALUE
                cache   auto
                source  /srv/web
                """, Console.run(() -> commands.info("web")).out);
        assertEquals("share:info: no share named nope\n", Console.run(() -> commands.info("nope")).err);
    }

    @Test
    void swapPassesTheOptionsAndNeedsNameAndType() {
        manager.add("web", Map.of("mountpoint", "/m"));
        Console c = Console.run(() -> commands.swap("cache=never", "web", "memory", "-o", "size=1m"));
        assertEquals(Map.of("cache", "never", "size", "1m"), manager.lastSwap);
        assertTrue(c.out.contains("web   RUNNING  memory"), c.out);
        assertEquals("share:swap: usage: share:swap NAME TYPE [-o key=value]...\n",
                Console.run(() -> commands.swap("", "web")).err);
    }

    @Test
    void providerListIsATable() {
        manager.providers.add(new ProviderInfo("memory", "org.jvirtiofs.fs.memory 0.1.0", false, 0));
        manager.providers.add(new ProviderInfo("passthrough", "org.jvirtiofs.fs.passthrough 0.1.0", true, 2));
        assertEquals("""
                TYPE         BUNDLE                              HANDOVER  SHARES
                memory       org.jvirtiofs.fs.memory 0.1.0       no        0
                passthrough  org.jvirtiofs.fs.passthrough 0.1.0  yes       2
                """, Console.run(new ProviderCommands(manager)::list).out);
    }

    @Test
    void anUnexpectedFailureIsStillOneLine() {
        ShareCommands broken = new ShareCommands(new FakeShareManager() {
            @Override
            public java.util.List<ShareInfo> shares() {
                throw new UnsupportedOperationException("boom");
            }
        });
        assertEquals("share:list: UnsupportedOperationException: boom\n", Console.run(broken::list).err);
    }
}

package org.jvirtiofs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.jvirtiofs.itests.Gogo.Printed;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;

/**
 * Every share:* and provider:* command run through Gogo's CommandProcessor, as an operator types
 * it, on shares mounted on the host over /dev/fuse: what each prints, and each error line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ShellCommandsTest {
    private static final long WAIT_MILLIS = 10_000;

    @Inject
    private BundleContext context;

    @Inject
    private CommandProcessor processor;

    @Inject
    private ShareManager manager;

    private Path dir;

    @Configuration
    public Option[] config() {
        return LauncherBundleSet.options();
    }

    @Before
    public void commandsAreRegistered() throws Exception {
        Gogo.awaitCommands(context, "share", "provider");
        dir = Files.createTempDirectory("jvirtiofs-shell");
    }

    @After
    public void removeSharesAndTempFiles() throws IOException {
        for (ShareInfo s : manager.shares()) {
            manager.remove(s.name()); // unmounts
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void providerListShowsTheInstalledTypes() throws Exception {
        Printed p = run("provider:list");
        assertEquals("", p.err());
        String[] lines = p.out().split("\n");
        assertTrue(p.out(), lines[0].matches("TYPE +BUNDLE +HANDOVER +SHARES"));
        assertTrue(p.out(), p.out().matches("(?s).*\nmemory +org\\.jvirtiofs\\.fs\\.memory \\S+ +(yes|no) +0\n.*"));
        assertTrue(p.out(), p.out().matches("(?s).*\npassthrough +org\\.jvirtiofs\\.fs\\.passthrough \\S+ +(yes|no) +0\n.*"));
        assertTrue(p.out(), p.out().matches("(?s).*\noverlay +org\\.jvirtiofs\\.fs\\.overlay \\S+ +(yes|no) +0\n.*"));
    }

    @Test
    public void anOverlayShareMergesLayersAndKeepsTheLowerUntouched() throws Exception {
        Path base = Files.createDirectories(dir.resolve("base/etc"));
        Files.writeString(base.resolve("config"), "base");
        Files.writeString(base.resolve("removed"), "base");
        Path app = Files.createDirectories(dir.resolve("app/etc"));
        Files.writeString(app.resolve("config"), "app");
        Files.writeString(app.resolve(".wh.removed"), "");
        Path top = Files.createDirectories(dir.resolve("top/etc"));
        Files.writeString(top.resolve("motd"), "top");
        Path upper = Files.createDirectory(dir.resolve("upper"));
        Path mnt = Files.createDirectory(dir.resolve("merged"));
        Printed added = run("share:add img --provider overlay --lower " + dir.resolve("top") + ":" + dir.resolve("app")
                + ":" + dir.resolve("base")
                + " --upper " + upper + " --mountpoint " + mnt + " --cache never -o whiteout=oci");
        assertEquals("", added.err());
        awaitRunning("img");

        assertEquals(List.of("config", "motd"), list(mnt.resolve("etc")));
        assertEquals("app", Files.readString(mnt.resolve("etc/config")));
        Files.writeString(mnt.resolve("etc/config"), "guest");
        Files.delete(mnt.resolve("etc/config"));
        assertEquals(List.of("motd"), list(mnt.resolve("etc")));
        assertEquals("app", Files.readString(app.resolve("config")));
        assertEquals("base", Files.readString(base.resolve("config")));
        assertEquals(List.of(".wh.config"), list(upper.resolve("etc")));

        try (java.nio.channels.FileChannel motd = java.nio.channels.FileChannel.open(mnt.resolve("etc/motd"))) {
            Printed swapped = run("share:swap img overlay -o cache=always");
            assertEquals("", swapped.err());
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            motd.read(b, 0);
            assertEquals("a file open across the swap reads on", "top", new String(b.array(), 0, b.position()));
        }
        assertEquals(List.of("motd"), list(mnt.resolve("etc")));
        assertTrue(run("share:stats img").out().contains("swaps        1\n"));

        Printed info = run("share:info img");
        assertTrue(info.out(), info.out().contains("provider   overlay\n"));
        assertTrue(info.out(), info.out().matches("(?s).*\ncache +always\n.*"));
        assertTrue(info.out(), info.out().matches("(?s).*\nlower +" + dir.resolve("top") + ":" + dir.resolve("app") + ":"
                + dir.resolve("base") + "\n.*"));
        assertTrue(info.out(), info.out().matches("(?s).*\nupper +" + upper + "\n.*"));
        assertTrue(info.out(), info.out().matches("(?s).*\nwhiteout +oci\n.*"));

        Printed overlapping = run("share:add bad --provider overlay --lower " + dir.resolve("app") + " --upper "
                + dir.resolve("app/etc") + " --mountpoint " + Files.createDirectory(dir.resolve("bad")));
        assertTrue(overlapping.err(), overlapping.err().matches("share:add: bad is FAILED: .*layers must not overlap: "
                + ".* \\(the configuration is kept: share:remove bad\\)\n"));
    }

    private static List<String> list(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    public void aMemoryShareMountsServesFilesAndCountsTheWrites() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("mem"));
        Printed added = run("share:add mem - --provider memory --mountpoint " + mnt);
        assertEquals("", added.err());
        assertTrue(added.out(), added.out().startsWith("NAME"));
        assertTrue(added.out(), added.out().contains("\nmem "));
        awaitRunning("mem");

        Files.writeString(mnt.resolve("hello.txt"), "hello through the shell's share");
        assertEquals("hello through the shell's share", Files.readString(mnt.resolve("hello.txt")));

        Printed list = run("share:list");
        assertTrue(list.out(), list.out().matches("(?s)NAME +STATE +PROVIDER +SOURCE +TRANSPORT +CONNECTED +REASON\n"
                + "mem +RUNNING +memory +- +fuse:" + mnt + " +yes\n"));

        Printed info = run("share:info mem");
        assertEquals("", info.err());
        assertTrue(info.out(), info.out().contains("name       mem\n"));
        assertTrue(info.out(), info.out().contains("state      RUNNING\n"));
        assertTrue(info.out(), info.out().contains("provider   memory\n"));
        assertTrue(info.out(), info.out().contains("transport  fuse:" + mnt + "\n"));
        assertTrue(info.out(), info.out().contains("connected  yes\n"));

        Printed stats = run("share:stats mem");
        assertEquals("", stats.err());
        assertTrue(stats.out(), stats.out().matches("(?s).*\nWRITE +[1-9]\\d*\n.*"));
        assertTrue(stats.out(), stats.out().contains("written      31 B\n"));
        assertTrue(stats.out(), stats.out().matches("(?s).*\nread +(31|0) B\n.*"));
        assertTrue(stats.out(), stats.out().matches("(?s).*\nlatency p50 +\\S+ \\S+\nlatency p99 .*\nlatency max .*"));

        Printed removed = run("share:remove mem");
        assertEquals("removed mem\n", removed.out());
        assertFalse("unmounted", Files.exists(mnt.resolve("hello.txt")));
        assertEquals("no shares\n", run("share:list").out());
    }

    @Test
    public void aPassthroughShareServesAHostDirectoryAndSwapsUnderTheMount() throws Exception {
        Path src = Files.createDirectory(dir.resolve("src"));
        Path mnt = Files.createDirectory(dir.resolve("mnt"));
        Files.writeString(src.resolve("before.txt"), "on the host");
        Printed added = run("share:add pt " + src + " --mountpoint " + mnt + " --cache never -o xattr=true");
        assertEquals("", added.err());
        awaitRunning("pt");

        assertEquals("on the host", Files.readString(mnt.resolve("before.txt")));
        Files.writeString(mnt.resolve("from-guest.txt"), "written through the mount");
        assertEquals("written through the mount", Files.readString(src.resolve("from-guest.txt")));

        Printed info = run("share:info pt");
        assertTrue(info.out(), info.out().contains("source     " + src + "\n"));
        assertTrue(info.out(), info.out().matches("(?s).*\ncache +never\n.*"));
        assertTrue(info.out(), info.out().matches("(?s).*\nxattr +true\n.*"));

        Printed swapped = run("share:swap pt passthrough -o cache=always");
        assertEquals("", swapped.err());
        assertTrue(swapped.out(), swapped.out().matches("(?s).*\npt +RUNNING +passthrough +" + src + " .*"));
        assertTrue(run("share:info pt").out().matches("(?s).*\ncache +always\n.*"));
        assertEquals("on the host", Files.readString(mnt.resolve("before.txt")));

        Printed stats = run("share:stats pt");
        assertTrue(stats.out(), stats.out().contains("swaps        1\n"));
        assertTrue(stats.out(), stats.out().contains("written      25 B\n"));
        assertTrue(stats.out(), stats.out().matches("(?s).*\nWRITE +[1-9]\\d*\n.*"));

        Printed watched = run("share:stats pt --watch --interval 0.2 --count 2");
        assertEquals("", watched.err());
        assertEquals(watched.out(), 2, watched.out().split("share pt at ", -1).length - 1);
        assertTrue(watched.out(), watched.out().matches("(?s).*\nOPCODE +REQUESTS +RATE\n.*"));
        assertTrue(watched.out(), watched.out().matches("(?s).*\nrequests +\\d+ +\\S+/s\n.*"));

        assertTrue(run("provider:list").out().matches("(?s).*\npassthrough +\\S+ \\S+ +(yes|no) +1\n.*"));
        assertEquals("removed pt\n", run("share:remove pt").out());
        assertFalse("unmounted", Files.exists(mnt.resolve("before.txt")));
    }

    @Test
    public void errorsAreOneLinePrefixedWithTheCommand() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("m"));
        assertError("share:info: no share named nope", run("share:info nope"));
        assertError("share:remove: no share named nope", run("share:remove nope"));
        assertError("share:stats: no share named nope", run("share:stats nope"));
        assertError("share:swap: no share named nope", run("share:swap nope memory"));
        assertError("share:add: no such directory: " + dir.resolve("missing"),
                run("share:add x " + dir.resolve("missing") + " --mountpoint " + mnt));
        assertError("share:add: bad option 'oops': expected key=value",
                run("share:add x - --provider memory --mountpoint " + mnt + " -o oops"));
        assertError("share:add: --threads: 'many' is not a whole number >= 0",
                run("share:add x - --provider memory --mountpoint " + mnt + " --threads many"));
        assertError("share:add: threads: '100' is not a number from 0 to 64",
                run("share:add x - --provider memory --mountpoint " + mnt + " --threads 100"));
        assertError("share:add: unknown option --bogus",
                run("share:add x - --provider memory --mountpoint " + mnt + " --bogus"));
        assertError("share:add: share x: set exactly one of 'socket' (vhost-user) or 'mountpoint' (/dev/fuse)",
                run("share:add x - --provider memory"));
        assertTrue("nothing was added", manager.shares().isEmpty());

        assertEquals("", run("share:add dup - --provider memory --mountpoint " + mnt).err());
        awaitRunning("dup");
        Path other = Files.createDirectory(dir.resolve("other"));
        assertError("share:add: a share named dup exists",
                run("share:add dup - --provider memory --mountpoint " + other));
        assertError("share:swap: no provider of type 'nosuch' is installed", run("share:swap dup nosuch"));
        assertError("share:swap: usage: share:swap NAME TYPE [-o key=value]...", run("share:swap dup"));
    }

    @Test
    public void aShareOfAProviderNotInstalledWaitsForIt() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("w"));
        Printed added = run("share:add later - --provider nosuch --mountpoint " + mnt);
        assertEquals("", added.err());
        assertTrue(added.out(), added.out().contains("\nlater  WAITING  nosuch"));
        awaitState("later", ShareState.WAITING, "waiting for a provider of type 'nosuch'");
        assertTrue(run("share:list").out().contains("waiting for a provider of type 'nosuch'"));
    }

    @Test
    public void aConfigurationTheProviderRefusesIsReportedAsFailed() throws Exception {
        Path mnt = Files.createDirectory(dir.resolve("f"));
        Printed added = run("share:add bad - --provider memory --mountpoint " + mnt + " --readonly");
        String[] err = added.err().split("\n");
        assertEquals(added.err(), 1, err.length);
        assertTrue(added.err(), err[0].startsWith("share:add: bad is FAILED: provider memory refused the share: "));
        assertTrue(added.out(), added.out().contains("\nbad   FAILED"));
    }

    @Test
    public void helpDocumentsEveryOptionOfShareAdd() throws Exception {
        Printed help = run("help share:add");
        for (String option : List.of("--provider", "--socket", "--mountpoint", "--readonly", "--cache", "--uid-map",
                "--gid-map", "--threads", "--option", "NAME", "DIR")) {
            assertTrue(option + " is not documented:\n" + help.out(), help.out().contains(option));
        }
        Printed stats = run("help share:stats");
        for (String option : List.of("--watch", "--interval", "--count")) {
            assertTrue(option + " is not documented:\n" + stats.out(), stats.out().contains(option));
        }
    }

    private static void assertError(String line, Printed p) {
        assertEquals("stdout of a failed command", "", p.out());
        assertEquals(line + "\n", p.err());
    }

    private Printed run(String line) throws Exception {
        return Gogo.run(processor, line);
    }

    private void awaitRunning(String name) throws InterruptedException {
        awaitState(name, ShareState.RUNNING, "");
    }

    private void awaitState(String name, ShareState state, String reason) throws InterruptedException {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        ShareInfo s = manager.share(name).orElseThrow();
        while (s.state() != state || !s.reason().equals(reason)) {
            assertTrue(name + " is " + s.state() + " (" + s.reason() + "), not " + state,
                    System.currentTimeMillis() < deadline);
            Thread.sleep(50);
            s = manager.share(name).orElseThrow();
        }
    }
}

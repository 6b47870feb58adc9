package org.jvirtiofs.itests.karaf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFileExtend;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirtiofs.itests.vm.GuestImage;
import org.jvirtiofs.itests.vm.GuestVm;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * jvirtiofs in Apache Karaf 4.4, offline: the features are added and installed from Karaf's
 * shell, a share configured by a file in Karaf's etc/ serves a real guest over vhost-user (its
 * root's attributes as the host has them), and the share:* and provider:* commands work in
 * Karaf's shell. The test methods run inside Karaf, in Pax Exam's probe bundle.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KarafFeaturesTest {
    private static final long WAIT_MILLIS = 30_000;
    private static final Subject OPERATOR = new Subject(true,
        Set.of(new UserPrincipal("karaf"), new RolePrincipal("admin"), new RolePrincipal("manager"),
            new RolePrincipal("viewer")), Set.of(), Set.of());
    /** The features stay installed from one test to the next: Pax Exam keeps one Karaf per class. */
    private static boolean installed;
    private Path dir;

    @Inject
    private BundleContext context;

    @Inject
    private SessionFactory sessions;

    @Configuration
    public Option[] config() {
        String repository = Path.of(System.getProperty("jvirtiofs.features.repository")).normalize().toUri().toString();
        return new Option[] {
            karafDistributionConfiguration()
                .frameworkUrl(maven("org.apache.karaf", "apache-karaf", System.getProperty("jvirtiofs.karaf.version"))
                    .type("zip"))
                .unpackDirectory(new File(System.getProperty("jvirtiofs.karaf.dir")))
                .useDeployFolder(false),
            keepRuntimeFolder(),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.INFO),
            // offline: bundles come from Karaf's system/ folder, the features' own repository and
            // the local Maven repository the build filled, never from the network
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.offline", "true"),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.repositories", ""),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                System.getProperty("org.ops4j.pax.url.mvn.localRepository")),
            editConfigurationFileExtend("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.defaultRepositories",
                repository + "@id=jvirtiofs@snapshots"),
            systemProperty("jvirtiofs.root").value(Path.of(System.getProperty("jvirtiofs.root")).normalize().toString()),
            systemProperty("jvirtiofs.features.descriptor").value(
                Path.of(System.getProperty("jvirtiofs.features.descriptor")).normalize().toString()),
        };
    }

    @Before
    public void installTheFeatures() throws Exception {
        dir = Files.createTempDirectory("jvirtiofs-karaf");
        if (installed) {
            return;
        }
        Path descriptor = Path.of(System.getProperty("jvirtiofs.features.descriptor"));
        assertTrue("no " + descriptor + ": build the features module first", Files.isRegularFile(descriptor));
        // Karaf may still be starting its boot features: wait for the feature:* commands
        awaitCommand("feature:install");
        Printed added = run("feature:repo-add " + descriptor.toUri());
        assertEquals(added.toString(), "", added.err());
        Printed installed = run("feature:install jvirtiofs jvirtiofs-passthrough");
        assertEquals(installed.toString(), "", installed.err());
        String list = run("feature:list -i").out();
        for (String feature : List.of("jvirtiofs", "jvirtiofs-passthrough")) {
            assertTrue(list, list.lines().anyMatch(l -> l.matches(feature + " +\\| .*\\| Started +\\| jvirtiofs-.*")));
        }
        List<String> inactive = Arrays.stream(context.getBundles())
            .filter(b -> b.getSymbolicName().startsWith("org.jvirtiofs") && !isFragment(b)
                && b.getState() != Bundle.ACTIVE)
            .map(b -> b.getSymbolicName() + " " + b.getState()).collect(Collectors.toList());
        assertEquals("jvirtiofs bundles not active", List.of(), inactive);
        awaitCommand("share:list");
        KarafFeaturesTest.installed = true;
    }

    @After
    public void cleanUp() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    public void aShareConfiguredInEtcServesAGuestTheShareRootAsTheHostHasIt() throws Exception {
        Path source = Files.createDirectory(dir.resolve("web"));
        Files.writeString(source.resolve("hello.txt"), "hello from karaf\n");
        Files.setPosixFilePermissions(source, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setAttribute(source, "unix:uid", 1234);
        Files.setAttribute(source, "unix:gid", 5678);
        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2024-02-29T12:34:56Z")));
        Path socket = dir.resolve("web.sock");
        Path cfg = Path.of(System.getProperty("karaf.etc")).resolve("org.jvirtiofs.share-web.cfg");
        Files.writeString(cfg, "source = " + source + "\nsocket = " + socket + "\ncache = auto\n");
        try {
            String row = awaitShare("web", "RUNNING");
            assertTrue(row, row.contains("passthrough") && row.contains("vhost-user:" + socket));

            // the root as the host has it, before the guest adds a file to it
            Map<String, Object> host = Files.readAttributes(source, "unix:mode,uid,gid,lastModifiedTime,ino");
            String expected = Integer.toOctalString((Integer) host.get("mode") & 07777) + " " + host.get("uid") + " "
                + host.get("gid") + " " + ((FileTime) host.get("lastModifiedTime")).toInstant().getEpochSecond()
                + " " + host.get("ino");
            assertEquals("750 1234 5678 1709210096 " + host.get("ino"), expected);

            GuestImage image = GuestImage.withScriptText(
                "echo \"JVFS-ROOT: $(stat -c '%a %u %g %Y %i' \"$JVFS_MNT\")\"\n"
                + "echo \"JVFS-HELLO: $(cat \"$JVFS_MNT/hello.txt\")\"\n"
                + "echo 'written by the guest' > \"$JVFS_MNT/from-guest.txt\"\n");
            GuestVm.Console console = new GuestVm(image, socket, "web", dir.resolve("console.log"))
                .daemonLog(KarafFeaturesTest::karafLog).run();

            // the share root's GETATTR, as the guest's stat(1) shows it
            assertEquals(expected, marker(console, "JVFS-ROOT: "));
            assertEquals("hello from karaf", marker(console, "JVFS-HELLO: "));
            assertEquals("written by the guest\n", Files.readString(source.resolve("from-guest.txt")));
        } finally {
            Files.deleteIfExists(cfg);
        }
        awaitGone("web");
    }

    @Test
    public void theShareCommandsWorkInKarafsShell() throws Exception {
        Path source = Files.createDirectory(dir.resolve("cmds"));
        Path mnt = Files.createDirectory(dir.resolve("cmds-mnt"));
        Files.writeString(source.resolve("note.txt"), "served\n");

        assertTrue(run("provider:list").out().matches("(?s).*\npassthrough +.*"));
        // bin/jvirtiofs's exit stops the framework: in Karaf, that would be the whole container
        assertNull("jvirtiofs's exit is offered in Karaf", context.getServiceReferences((String) null,
            "(&(osgi.command.scope=gogo)(osgi.command.function=exit))"));
        Printed added = run("share:add cmds " + source + " --mountpoint " + mnt + " --cache never");
        assertEquals(added.toString(), "", added.err());
        awaitShare("cmds", "RUNNING");
        assertEquals("served\n", Files.readString(mnt.resolve("note.txt")));

        String info = run("share:info cmds").out();
        assertTrue(info, info.matches("(?s).*\ntransport +fuse:" + mnt + "\n.*"));
        assertTrue(info, info.matches("(?s).*\ncache +never\n.*"));

        Printed swapped = run("share:swap cmds passthrough -o cache=always");
        assertEquals(swapped.toString(), "", swapped.err());
        assertTrue(run("share:info cmds").out().matches("(?s).*\ncache +always\n.*"));
        assertTrue(run("share:stats cmds").out().contains("swaps        1\n"));
        assertEquals("served\n", Files.readString(mnt.resolve("note.txt")));

        Printed missing = run("share:info nope");
        assertTrue(missing.toString(), missing.err().contains("share:info: no share named nope"));

        assertEquals("removed cmds\n", run("share:remove cmds").out());
        awaitGone("cmds");
        assertTrue("the host files stay", Files.exists(source.resolve("note.txt")));
    }

    /** Karaf's log: pax-logging writes jvirtiofs' SLF4J output there. */
    private static String karafLog() {
        try {
            return Files.readString(Path.of(System.getProperty("karaf.log", System.getProperty("karaf.data") + "/log"), "karaf.log"));
        } catch (IOException | RuntimeException e) {
            return "(no Karaf log: " + e + ")";
        }
    }

    private static boolean isFragment(Bundle b) {
        return b.getHeaders().get("Fragment-Host") != null;
    }

    private static String marker(GuestVm.Console console, String marker) {
        return console.text().lines().filter(l -> l.contains(marker))
            .map(l -> l.substring(l.indexOf(marker) + marker.length()).trim()).reduce((a, b) -> b)
            .orElseThrow(() -> new AssertionError("the guest printed no " + marker + ":\n" + console.text()));
    }

    /** The share's share:list row once its state is {@code state}. */
    private String awaitShare(String name, String state) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        String list = "";
        while (System.currentTimeMillis() < deadline) {
            list = run("share:list").out();
            for (String row : list.split("\n")) {
                if (row.startsWith(name + " ") && row.contains(" " + state + " ")) {
                    return row;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("share " + name + " is not " + state + " after " + WAIT_MILLIS + " ms:\n" + list);
    }

    private void awaitGone(String name) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (run("share:list").out().lines().anyMatch(l -> l.startsWith(name + " "))) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("share " + name + " is still listed");
            }
            Thread.sleep(200);
        }
    }

    /** Waits for {@code scope:name} to be in the registry of Karaf's shell. */
    private void awaitCommand(String command) throws Exception {
        String[] name = command.split(":");
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (sessions.getRegistry().getCommand(name[0], name[1]) == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("Karaf's shell has no " + command);
            }
            Thread.sleep(100);
        }
    }

    /** What a command line printed in Karaf's shell. */
    private record Printed(String line, String out, String err) {
        @Override
        public String toString() {
            return "$ " + line + "\n" + out + err;
        }
    }

    /**
     * Runs {@code line} in a new session of Karaf's shell. A command that is not (yet) there is
     * waited for: Karaf registers the commands of a bundle a moment after it starts, and a
     * feature change may restart the bundle of a command.
     */
    private Printed run(String line) throws Exception {
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        Printed p;
        while ((p = runOnce(line)).err().startsWith("Command not found: ") && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        return p;
    }

    private Printed runOnce(String line) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            Session session = sessions.create(new ByteArrayInputStream(new byte[0]), o, e);
            try {
                // as the operator logged in to the console: Karaf's command ACLs reserve
                // feature:install and the like to the admin role
                Object result = Subject.doAs(OPERATOR, (PrivilegedExceptionAction<Object>) () -> session.execute(line));
                if (result != null) {
                    o.println(result);
                }
            } catch (PrivilegedActionException failure) {
                e.println(failure.getException().getMessage());
            } finally {
                session.close();
            }
        }
        return new Printed(line, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}

package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A provider built outside the reactor, as a third party builds one: its source (test resources,
 * plugin/HelloProvider.java.txt) is compiled here against the API jar, packed as a bundle, installed
 * into a running bin/jvirtiofs from the shell, and serves a share mounted over /dev/fuse.
 */
class ExternalProviderTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final int WAIT_SECONDS = 60;

    @TempDir
    Path tmp;

    @Test
    void aBundleBuiltElsewhereIsInstalledIntoTheRunningPlatformAndServesAShare() throws Exception {
        Path jar = buildPlugin();
        Path etc = Files.createDirectory(tmp.resolve("etc"));
        Path mnt = Files.createDirectory(tmp.resolve("mnt"));
        PlatformShell platform = PlatformShell.start(etc, tmp.resolve("jvirtiofs.log"));
        try (platform) {
            platform.send("start " + jar.toUri());
            platform.send("provider:list");
            try {
                platform.waitFor(() -> platform.output().lines().anyMatch(l -> l.startsWith("hello ")), WAIT_SECONDS,
                        "provider:list showing the installed provider");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nshell:\n" + platform.output(), e);
            }
            assertTrue(platform.output().lines().anyMatch(l -> l.matches("hello +com\\.example\\.hello \\S+ +no +0")),
                    platform.output());
            platform.send("share:add hi - --provider hello --mountpoint " + mnt + " -o greeting=hello-from-a-plugin");
            platform.waitFor(() -> Files.exists(mnt.resolve("hello.txt")), WAIT_SECONDS, "the plugin's share mounted");
            assertEquals("hello-from-a-plugin\n", Files.readString(mnt.resolve("hello.txt")));
            try (Stream<Path> list = Files.list(mnt)) {
                assertEquals(List.of("hello.txt"), list.map(p -> p.getFileName().toString()).toList());
            }
            platform.send("share:remove hi");
            platform.waitFor(() -> !Files.exists(mnt.resolve("hello.txt")), WAIT_SECONDS, "the share unmounted");
        } finally {
            new ProcessBuilder("umount", "-l", mnt.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        assertEquals(0, platform.exitValue(), platform.log());
    }

    /** Compiles the plugin's one class against the API and the OSGi framework, and packs the bundle. */
    private Path buildPlugin() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src/com/example/hello")).resolve("HelloProvider.java");
        try (InputStream in = ExternalProviderTest.class.getResourceAsStream("plugin/HelloProvider.java.txt")) {
            Files.write(src, in.readAllBytes());
        }
        Path classes = Files.createDirectory(tmp.resolve("classes"));
        String classpath = ROOT.resolve("bundles/org.jvirtiofs.api/target/classes") + ":" + System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-cp", classpath, "-d", classes.toString(), src.toString());
        assertEquals(0, rc, "the plugin did not compile");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "com.example.hello");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", "com.example.hello.HelloProvider");
        a.putValue("Import-Package", "org.jvirtiofs.api;version=\"[0.2,1)\",org.osgi.framework;version=\"[1.8,2)\"");
        a.putValue("Require-Capability", "osgi.ee;filter:=\"(&(osgi.ee=JavaSE)(version=17))\"");
        Path jar = tmp.resolve("com.example.hello-1.0.0.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, m);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString()));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
        }
        return jar;
    }
}

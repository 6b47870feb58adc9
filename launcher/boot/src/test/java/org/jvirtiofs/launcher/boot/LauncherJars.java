package org.jvirtiofs.launcher.boot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Executable JARs laid out as bnd's export writes them, with made-up bundles, for the tests. */
final class LauncherJars {
    static final String FRAMEWORK = "jar/framework.jar";

    private LauncherJars() {
    }

    /** A JAR carrying the framework and {@code bundles} (entry to content) with these launcher properties. */
    static Path write(Path jar, Map<String, String> bundles, String properties, boolean namesFramework)
            throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (namesFramework) {
            manifest.getMainAttributes().putValue(Embedded.FRAMEWORK_ATTRIBUTE, FRAMEWORK);
        }
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(FRAMEWORK, "the framework");
        entries.putAll(bundles);
        if (properties != null) {
            entries.put(Embedded.PROPERTIES_ENTRY, properties);
        }
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    /** A JAR of two bundles, the second at start level 3, as bnd writes {@code launcher.properties}. */
    static Path twoBundles(Path jar, String secondContent) throws IOException {
        return write(jar, Map.of("jar/a-1.0.jar", "bundle a", "jar/b-2.0.jar", secondContent), """
                launch.bundles=jar/a-1.0.jar,jar/b-2.0.jar
                launch.runbundles.attrs=a;version\\="1.0",b;version\\="[2.0,2.1)";startlevel\\=3
                launch.startlevel.default=4
                launch.keep=false
                org.osgi.framework.startlevel.beginning=5
                """, true);
    }
}

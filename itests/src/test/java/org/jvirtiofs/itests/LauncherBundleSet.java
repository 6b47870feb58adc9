package org.jvirtiofs.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemPackage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.options.UrlProvisionOption;

/**
 * The launcher's own bundle set, start levels and framework properties, read from the
 * launcher.properties of the exported executable JAR (unpacked by the build), so the tests run
 * exactly what bin/jvirtiofs runs.
 */
final class LauncherBundleSet {
    private static final Pattern START_LEVEL = Pattern.compile("startlevel=(\\d+)");

    private LauncherBundleSet() {
    }

    /** Pax Exam options that boot the launcher's bundles in the test framework. */
    static Option[] options() {
        Path dir = Path.of(System.getProperty("jvirtiofs.launcher.dir", "target/launcher"));
        Properties launch = load(dir.resolve("launcher.properties"));
        List<Option> options = new ArrayList<>();
        String[] jars = launch.getProperty("launch.bundles").split(",");
        String[] attrs = splitTopLevel(launch.getProperty("launch.runbundles.attrs"));
        if (jars.length != attrs.length) {
            throw new IllegalStateException("launcher.properties lists " + jars.length + " bundles but "
                    + attrs.length + " run bundle attributes");
        }
        for (int i = 0; i < jars.length; i++) {
            Path jar = dir.resolve(jars[i].trim());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("missing launcher bundle " + jar);
            }
            UrlProvisionOption b = bundle(jar.toUri().toString());
            Matcher level = START_LEVEL.matcher(attrs[i]);
            if (level.find()) {
                b.startLevel(Integer.parseInt(level.group(1)));
            }
            options.add(isFragment(jar) ? b.noStart() : b);
        }
        for (String name : launch.stringPropertyNames()) {
            // launch.* drives the bnd launcher itself; the shell must not read the test JVM's stdin
            if (!name.startsWith("launch.") && !name.equals("gosh.args")) {
                options.add(frameworkProperty(name).value(launch.getProperty(name)));
            }
        }
        options.add(frameworkProperty("gosh.args").value("--nointeractive"));
        for (String pkg : launch.getProperty("launch.system.packages", "").split(",")) {
            // the .bndrun's -runsystempackages (sun.misc for jffi) come first in this list
            if (pkg.startsWith("sun.")) {
                options.add(systemPackage(pkg));
            }
        }
        options.add(junitBundles());
        return options.toArray(new Option[0]);
    }

    private static boolean isFragment(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the manifest of " + jar, e);
        }
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the launcher's properties " + file, e);
        }
        return p;
    }

    /** Splits at commas outside double quotes (versions are quoted in bnd's attribute lists). */
    private static String[] splitTopLevel(String s) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                parts.add(s.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(s.substring(start));
        return parts.toArray(new String[0]);
    }
}

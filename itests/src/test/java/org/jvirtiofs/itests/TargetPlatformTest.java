package org.jvirtiofs.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The three lists of the runtime's bundles agree on every bundle and version: the Eclipse target
 * platform (targetplatform/jvirtiofs.target), the OSGi repository index the build makes
 * (targetplatform/index/target/index.xml), and what the launchers run (the bundles inside
 * launcher/target/jvirtiofs.jar and jvirtiofsd.jar).
 */
class TargetPlatformTest {
    private static final Path ROOT = Path.of(System.getProperty("jvirtiofs.root", "..")).toAbsolutePath().normalize();
    private static final Path REPO = Path.of(System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository"));
    private static final String REPOSITORY_NS = "http://www.osgi.org/xmlns/repository/v1.0.0";

    @Test
    void theTargetTheIndexAndTheLauncherListTheSameBundlesAtTheSameVersions() throws Exception {
        Map<String, String> launcher = new TreeMap<>();
        for (String jar : new String[] {"jvirtiofs.jar", "jvirtiofsd.jar"}) {
            launcher.putAll(embeddedBundles(ROOT.resolve("launcher/target").resolve(jar)));
        }
        launcher.remove("biz.aQute.launcher"); // bnd's launcher: what starts the framework, not part of it
        Map<String, String> target = targetBundles(ROOT.resolve("targetplatform/jvirtiofs.target"));
        Map<String, String> index = indexBundles(ROOT.resolve("targetplatform/index/target/index.xml"));

        assertTrue(launcher.size() > 30, "the launchers run " + launcher);
        assertEquals("", differences(launcher, target), "jvirtiofs.target and the launcher disagree");
        assertEquals("", differences(launcher, index), "the repository index and the launcher disagree");
    }

    /** One line per bundle the two lists do not have at the same version; "" if they agree. */
    private static String differences(Map<String, String> launcher, Map<String, String> other) {
        StringBuilder out = new StringBuilder();
        java.util.Set<String> names = new java.util.TreeSet<>(launcher.keySet());
        names.addAll(other.keySet());
        for (String name : names) {
            String a = launcher.get(name);
            String b = other.get(name);
            if (a == null || !a.equals(b)) {
                out.append(name).append(": launcher ").append(a == null ? "-" : a).append(", listed ")
                        .append(b == null ? "-" : b).append('\n');
            }
        }
        return out.toString();
    }

    /** Bundle-SymbolicName to Bundle-Version of the bundles an executable JAR carries under jar/. */
    private static Map<String, String> embeddedBundles(Path launcherJar) throws IOException {
        Map<String, String> bundles = new TreeMap<>();
        try (JarFile jar = new JarFile(launcherJar.toFile())) {
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                if (entry.getName().startsWith("jar/") && entry.getName().endsWith(".jar")) {
                    try (InputStream in = jar.getInputStream(entry); JarInputStream nested = new JarInputStream(in)) {
                        put(bundles, nested.getManifest(), launcherJar + "!" + entry.getName());
                    }
                }
            }
        }
        return bundles;
    }

    /** The bundles of the .target's Maven locations, read from the artifacts they name. */
    private static Map<String, String> targetBundles(Path file) throws Exception {
        Map<String, String> bundles = new TreeMap<>();
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        NodeList deps = doc.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            Path jar = artifact(text(d, "groupId"), text(d, "artifactId"), text(d, "version"), text(d, "classifier"));
            try (JarFile j = new JarFile(jar.toFile())) {
                put(bundles, j.getManifest(), jar.toString());
            }
        }
        return bundles;
    }

    /** The bundles and fragments of an OSGi repository index (osgi.identity capabilities). */
    private static Map<String, String> indexBundles(Path file) throws Exception {
        assertTrue(Files.isRegularFile(file), file + " is missing: the build makes it (targetplatform/index)");
        Map<String, String> bundles = new TreeMap<>();
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        NodeList caps = doc.getElementsByTagNameNS(REPOSITORY_NS, "capability");
        for (int i = 0; i < caps.getLength(); i++) {
            Element cap = (Element) caps.item(i);
            if (!"osgi.identity".equals(cap.getAttribute("namespace"))) {
                continue;
            }
            Map<String, String> attrs = new TreeMap<>();
            NodeList list = cap.getElementsByTagNameNS(REPOSITORY_NS, "attribute");
            for (int k = 0; k < list.getLength(); k++) {
                Element a = (Element) list.item(k);
                attrs.put(a.getAttribute("name"), a.getAttribute("value"));
            }
            String type = attrs.get("type");
            if ("osgi.bundle".equals(type) || "osgi.fragment".equals(type)) {
                String old = bundles.put(attrs.get("osgi.identity"), attrs.get("version"));
                assertEquals(null, old, "the index has " + attrs.get("osgi.identity") + " twice");
            }
        }
        return bundles;
    }

    private static void put(Map<String, String> bundles, Manifest m, String where) {
        Attributes a = m == null ? null : m.getMainAttributes();
        String bsn = a == null ? null : a.getValue("Bundle-SymbolicName");
        assertTrue(bsn != null, where + " is not a bundle");
        String name = bsn.split(";")[0].trim();
        String old = bundles.put(name, a.getValue("Bundle-Version"));
        assertTrue(old == null || old.equals(a.getValue("Bundle-Version")), name + " twice, at " + old + " and "
                + a.getValue("Bundle-Version"));
    }

    /** A Maven artifact: this build's own from its module, the rest from the local repository. */
    private static Path artifact(String group, String artifact, String version, String classifier) throws IOException {
        String file = artifact + "-" + version + (classifier.isEmpty() ? "" : "-" + classifier) + ".jar";
        if (group.equals("org.jvirtiofs")) {
            try (Stream<Path> modules = Stream.of(ROOT.resolve("bundles"), ROOT.resolve("targetplatform"))
                    .flatMap(d -> list(d))) {
                return modules.map(m -> m.resolve("target").resolve(file)).filter(Files::isRegularFile).findFirst()
                        .orElseThrow(() -> new AssertionError("no module builds " + file));
            }
        }
        Path jar = REPO.resolve(group.replace('.', '/')).resolve(artifact).resolve(version).resolve(file);
        assertTrue(Files.isRegularFile(jar), "the .target names " + group + ":" + artifact + ":" + version
                + " but the build did not fetch it: " + jar);
        return jar;
    }

    private static Stream<Path> list(Path dir) {
        try {
            return Files.list(dir).toList().stream();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String text(Element parent, String tag) {
        NodeList l = parent.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent().trim();
    }
}

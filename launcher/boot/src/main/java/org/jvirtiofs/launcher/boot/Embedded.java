package org.jvirtiofs.launcher.boot;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.ZipEntry;

/**
 * What an executable JAR carries: the framework JAR, the bundles in start order with their start
 * levels, and the framework properties. bnd's export writes the bundles under {@code jar/} and
 * lists them in {@code launcher.properties} ({@code launch.bundles}, and their start levels in
 * {@code launch.runbundles.attrs}); the build names the framework's entry in the manifest.
 *
 * @param name the JAR's name without ".jar": what messages and the cache are named by
 * @param framework the framework JAR's entry
 * @param bundles the bundles' entries, in start order
 * @param properties the framework properties (bnd's own {@code launch.*} left out)
 * @param key a digest of everything above and of each embedded JAR's CRC and size: the same
 *     bundle set gives the same key, whatever JAR file it came in
 */
record Embedded(String name, String framework, List<Bundle> bundles, Map<String, String> properties, String key) {
    static final String FRAMEWORK_ATTRIBUTE = "Launcher-Framework";
    static final String PROPERTIES_ENTRY = "launcher.properties";
    private static final Pattern START_LEVEL = Pattern.compile(";\\s*startlevel\\s*=\\s*\"?(\\d+)");

    /** One bundle: its entry in the JAR, its start level, and its size (to check an unpacked copy). */
    record Bundle(String entry, int startLevel, long size) {
        String fileName() {
            return Embedded.fileName(entry);
        }
    }

    /** The file an entry is unpacked to: its last path segment. */
    static String fileName(String entry) {
        return entry.substring(entry.lastIndexOf('/') + 1);
    }

    static Embedded read(Path jarPath) throws IOException {
        String fileName = jarPath.getFileName().toString();
        String name = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
        try (JarFile jar = new JarFile(jarPath.toFile(), false)) {
            Attributes main = jar.getManifest() == null ? new Attributes() : jar.getManifest().getMainAttributes();
            String framework = main.getValue(FRAMEWORK_ATTRIBUTE);
            if (framework == null || jar.getEntry(framework) == null) {
                throw new IOException(jarPath + " names no embedded framework (" + FRAMEWORK_ATTRIBUTE + ")");
            }
            ZipEntry propertiesEntry = jar.getEntry(PROPERTIES_ENTRY);
            if (propertiesEntry == null) {
                throw new IOException(jarPath + " has no " + PROPERTIES_ENTRY);
            }
            byte[] propertiesBytes;
            try (InputStream in = jar.getInputStream(propertiesEntry)) {
                propertiesBytes = in.readAllBytes();
            }
            Properties launch = new Properties();
            launch.load(new ByteArrayInputStream(propertiesBytes));

            String[] entries = launch.getProperty("launch.bundles", "").split(",");
            List<String> attributes = clauses(launch.getProperty("launch.runbundles.attrs", ""));
            if (entries.length != attributes.size()) {
                throw new IOException(PROPERTIES_ENTRY + " lists " + entries.length + " bundles but start levels for "
                        + attributes.size());
            }
            int defaultLevel = Integer.parseInt(launch.getProperty("launch.startlevel.default", "1").trim());
            List<Bundle> bundles = new ArrayList<>();
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].trim();
                ZipEntry zip = jar.getEntry(entry);
                if (zip == null) {
                    throw new IOException(jarPath + " lists bundle " + entry + " but does not carry it");
                }
                Matcher level = START_LEVEL.matcher(attributes.get(i));
                bundles.add(new Bundle(entry, level.find() ? Integer.parseInt(level.group(1)) : defaultLevel,
                        zip.getSize()));
            }
            Map<String, String> properties = new LinkedHashMap<>();
            for (String key : new TreeSet<>(launch.stringPropertyNames())) {
                if (!key.startsWith("launch.")) {
                    properties.put(key, launch.getProperty(key));
                }
            }
            return new Embedded(name, framework, List.copyOf(bundles), Map.copyOf(properties),
                    key(jar, propertiesBytes, framework, bundles));
        }
    }

    /** Splits a bnd header at the commas that are not inside quotes. */
    static List<String> clauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder clause = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(clause.toString());
                clause.setLength(0);
            } else {
                clause.append(c);
            }
        }
        if (clause.length() > 0) {
            clauses.add(clause.toString());
        }
        return clauses;
    }

    /**
     * Two CRCs of the set's description, 64 bits: the key tells builds apart, it guards against no
     * one. (A MessageDigest would load the JDK's security providers, 15 ms of every start.)
     */
    private static String key(JarFile jar, byte[] properties, String framework, List<Bundle> bundles) {
        CRC32 crc = new CRC32();
        CRC32C crcC = new CRC32C();
        crc.update(properties);
        crcC.update(properties);
        List<String> entries = new ArrayList<>();
        entries.add(framework);
        for (Bundle b : bundles) {
            entries.add(b.entry());
        }
        for (String entry : entries) {
            ZipEntry zip = jar.getEntry(entry);
            byte[] line = ("\n" + entry + " " + zip.getCrc() + " " + zip.getSize()).getBytes(StandardCharsets.UTF_8);
            crc.update(line);
            crcC.update(line);
        }
        return HexFormat.of().toHexDigits(crc.getValue() << 32 | crcC.getValue());
    }
}

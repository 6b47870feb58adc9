package org.jvirtiofs.launcher.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTest {
    @TempDir
    Path tmp;

    @Test
    void bundlesComeInStartOrderWithTheirStartLevelsOrTheDefault() throws IOException {
        Embedded embedded = Embedded.read(LauncherJars.twoBundles(tmp.resolve("jvirtiofsd.jar"), "bundle b"));
        assertEquals("jvirtiofsd", embedded.name());
        assertEquals(LauncherJars.FRAMEWORK, embedded.framework());
        assertEquals(List.of(new Embedded.Bundle("jar/a-1.0.jar", 4, 8), new Embedded.Bundle("jar/b-2.0.jar", 3, 8)),
                embedded.bundles());
        assertEquals("b-2.0.jar", embedded.bundles().get(1).fileName());
    }

    @Test
    void frameworkPropertiesLeaveBndsOwnOut() throws IOException {
        Embedded embedded = Embedded.read(LauncherJars.twoBundles(tmp.resolve("d.jar"), "bundle b"));
        assertEquals(Map.of("org.osgi.framework.startlevel.beginning", "5"), embedded.properties());
    }

    @Test
    void theSameBundleSetGivesTheSameKeyWhateverTheJarsName() throws IOException {
        Embedded one = Embedded.read(LauncherJars.twoBundles(tmp.resolve("one.jar"), "bundle b"));
        Embedded two = Embedded.read(LauncherJars.twoBundles(tmp.resolve("two.jar"), "bundle b"));
        Embedded changed = Embedded.read(LauncherJars.twoBundles(tmp.resolve("three.jar"), "bundle B"));
        assertEquals(one.key(), two.key());
        assertNotEquals(one.key(), changed.key(), "a rebuilt bundle is another set");
        assertTrue(one.key().matches("[0-9a-f]{16}"), one.key());
    }

    @Test
    void aJarThatNamesNoFrameworkIsRefusedClearly() throws IOException {
        Path jar = LauncherJars.write(tmp.resolve("x.jar"), Map.of(), "launch.bundles=\n", false);
        IOException e = assertThrows(IOException.class, () -> Embedded.read(jar));
        assertTrue(e.getMessage().contains("names no embedded framework"), e.getMessage());
    }

    @Test
    void aJarWithoutLauncherPropertiesIsRefusedClearly() throws IOException {
        Path jar = LauncherJars.write(tmp.resolve("x.jar"), Map.of(), null, true);
        IOException e = assertThrows(IOException.class, () -> Embedded.read(jar));
        assertTrue(e.getMessage().contains("has no launcher.properties"), e.getMessage());
    }

    @Test
    void aListedBundleTheJarLacksIsNamed() throws IOException {
        Path jar = LauncherJars.write(tmp.resolve("x.jar"), Map.of(), """
                launch.bundles=jar/missing.jar
                launch.runbundles.attrs=missing;startlevel\\=1
                """, true);
        IOException e = assertThrows(IOException.class, () -> Embedded.read(jar));
        assertTrue(e.getMessage().contains("jar/missing.jar"), e.getMessage());
    }

    @Test
    void startLevelsThatDoNotMatchTheBundlesAreRefused() throws IOException {
        Path jar = LauncherJars.write(tmp.resolve("x.jar"), Map.of("jar/a.jar", "a"), """
                launch.bundles=jar/a.jar
                launch.runbundles.attrs=a;startlevel\\=1,b;startlevel\\=2
                """, true);
        IOException e = assertThrows(IOException.class, () -> Embedded.read(jar));
        assertTrue(e.getMessage().contains("lists 1 bundles but start levels for 2"), e.getMessage());
    }

    @Test
    void clausesSplitOnlyAtCommasOutsideQuotes() {
        assertEquals(List.of("a;version=\"[1,2)\"", "b"), Embedded.clauses("a;version=\"[1,2)\",b"));
        assertEquals(List.of(), Embedded.clauses(""));
    }

    @Test
    void aJarsNameWithoutItsSuffixNamesTheRuntime() throws IOException {
        Path jar = LauncherJars.twoBundles(tmp.resolve("custom"), "b");
        assertEquals("custom", Embedded.read(jar).name());
        assertTrue(Files.exists(jar));
    }
}

package org.jvirtiofs.launcher.boot;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.osgi.framework.Constants;

/**
 * The executable JAR's main class. bnd's launcher installed every bundle afresh into a new storage
 * area each start (0.5 s of a daemon's 1.1 s to its socket); this one unpacks a bundle set once
 * ({@link RuntimeCache}), installs the bundles by reference to the unpacked files, and keeps the
 * framework's storage, so later starts restore them installed and resolved.
 *
 * <p>The framework is loaded from the unpacked framework JAR on a class loader of its own, and
 * {@link OsgiRuntime} with it; this class, on the application class loader, touches none of the
 * framework's types (the storage property's constant is inlined by the compiler).
 */
public final class Main {
    /** Named, not referred to: the class must be loaded by the framework's class loader only. */
    private static final String RUNTIME = "org.jvirtiofs.launcher.boot.OsgiRuntime";

    private Main() {
    }

    public static void main(String[] args) {
        String name = "jvirtiofs";
        int status;
        try {
            Path jar = ownJar();
            Embedded embedded = Embedded.read(jar);
            name = embedded.name();
            status = run(jar, embedded, RuntimeCache.open(jar, embedded, cacheRoot()), args);
        } catch (Exception e) {
            System.err.println(name + ": cannot start: " + e);
            status = 1;
        }
        System.exit(status);
    }

    static int run(Path jar, Embedded embedded, RuntimeCache cache, String[] args) throws Exception {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : embedded.properties().entrySet()) {
            // the JVM's -D options win; bundles such as slf4j-simple read system properties only
            String value = System.getProperty(p.getKey());
            if (value == null) {
                value = p.getValue();
                System.setProperty(p.getKey(), value);
            }
            properties.put(p.getKey(), value);
        }
        properties.put(Constants.FRAMEWORK_STORAGE, cache.storage().toString());
        List<String> locations = new ArrayList<>();
        List<Integer> startLevels = new ArrayList<>();
        for (Embedded.Bundle bundle : embedded.bundles()) {
            locations.add("reference:" + cache.bundles().resolve(bundle.fileName()).toUri());
            startLevels.add(bundle.startLevel());
        }
        URL framework = cache.bundles().resolve(Embedded.fileName(embedded.framework())).toUri().toURL();
        ClassLoader loader = new URLClassLoader(embedded.name() + "-framework",
                new URL[] {framework, jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        Consumer<Boolean> stopped = new Consumer<>() { // not a method reference: see the pom
            @Override
            public void accept(Boolean clean) {
                cache.finish(clean);
            }
        };
        @SuppressWarnings("unchecked")
        Callable<Integer> runtime = (Callable<Integer>) Class.forName(RUNTIME, true, loader)
                .getConstructor(String.class, Map.class, List.class, List.class, boolean.class, Consumer.class,
                        String[].class)
                .newInstance(embedded.name(), properties, locations, startLevels, cache.restore(), stopped, args);
        Thread.currentThread().setContextClassLoader(loader);
        return runtime.call();
    }

    /** {@code $XDG_CACHE_HOME/jvirtiofs/runtime}, else {@code ~/.cache/jvirtiofs/runtime}. */
    static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg)
                : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("jvirtiofs").resolve("runtime");
    }

    static Path ownJar() throws URISyntaxException {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}

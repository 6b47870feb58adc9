package org.jvirtiofs.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** What a factory configuration says beyond its values: its name, and which keys are the framework's. */
public final class FactoryConfigurations {
    /** Keys Config Admin, SCR and FileInstall add to a configuration: none of them are settings. */
    public static final Set<String> FRAMEWORK_KEYS = Set.of("service.pid", "service.factoryPid",
            "service.bundleLocation", "felix.fileinstall.filename", "component.id", "component.name",
            "objectClass", "service.id", "service.bundleid", "service.scope");

    private FactoryConfigurations() {
    }

    /** A configuration's properties as a map. */
    public static Map<String, Object> toMap(Dictionary<String, ?> properties) {
        Map<String, Object> map = new HashMap<>();
        for (Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
            String key = keys.nextElement();
            map.put(key, properties.get(key));
        }
        return map;
    }

    /**
     * The name a configuration without a name key goes by: "web" of {@code FACTORY~web} (made by
     * getFactoryConfiguration), or of the FileInstall file {@code FACTORY-web.cfg}; null otherwise.
     */
    public static String nameOf(String pid, Map<String, ?> config) {
        int tilde = pid.indexOf('~');
        if (tilde >= 0) {
            return pid.substring(tilde + 1);
        }
        Object file = config.get("felix.fileinstall.filename");
        if (file != null) {
            String f = Path.of(URI.create(file.toString()).getPath()).getFileName().toString();
            String base = f.endsWith(".cfg") || f.endsWith(".config") ? f.substring(0, f.lastIndexOf('.')) : f;
            int dash = base.indexOf('-');
            return dash >= 0 ? base.substring(dash + 1) : base;
        }
        return null;
    }

    /**
     * Whether a configuration holds nothing but what the framework adds: FileInstall can deliver a
     * file's configuration once with only its own keys just after the full one, which is no edit.
     */
    public static boolean isEmpty(Map<String, ?> config) {
        return FRAMEWORK_KEYS.containsAll(config.keySet());
    }
}

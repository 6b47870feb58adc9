package org.jvirtiofs.config;

import java.io.IOException;
import java.util.Optional;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Finding a factory configuration without making one. {@code ConfigurationAdmin.getConfiguration}
 * creates a plain configuration when the PID has none, and FileInstall 3.7.4 calls it for every
 * update event it handles: an event that arrives after the configuration was deleted leaves a plain,
 * empty configuration under the factory configuration's PID (FELIX-6812, fixed after 3.7.4). A
 * share or VM of that name added next would get that one back from {@code getFactoryConfiguration},
 * and its update would reach no one: its manager would never hear of it.
 */
public final class StoredConfigurations {
    private StoredConfigurations() {
    }

    /** The configuration stored under {@code pid}, if there is one; never creates one. */
    public static Optional<Configuration> stored(ConfigurationAdmin admin, String pid) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escaped(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("an escaped PID makes a valid filter: " + pid, e);
        }
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    /** The configuration of {@code factoryPid} named {@code name}, replacing a plain one left under its PID. */
    public static Configuration named(ConfigurationAdmin admin, String factoryPid, String name) throws IOException {
        Configuration c = admin.getFactoryConfiguration(factoryPid, name, "?");
        if (!factoryPid.equals(c.getFactoryPid())) {
            c.delete();
            c = admin.getFactoryConfiguration(factoryPid, name, "?");
        }
        return c;
    }

    private static String escaped(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (char ch : value.toCharArray()) {
            if (ch == '\\' || ch == '(' || ch == ')' || ch == '*') {
                b.append('\\');
            }
            b.append(ch);
        }
        return b.toString();
    }
}

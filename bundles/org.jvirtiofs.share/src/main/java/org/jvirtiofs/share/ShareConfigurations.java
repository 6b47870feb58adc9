package org.jvirtiofs.share;

import java.io.IOException;
import java.util.Optional;
import org.jvirtiofs.api.share.ShareManager;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Finding a share's configuration without making one. {@code ConfigurationAdmin.getConfiguration}
 * creates a plain configuration when the PID has none, and FileInstall 3.7.4 calls it for every
 * update event it handles: an event that arrives after the configuration was deleted leaves a plain,
 * empty configuration under the share's PID (FELIX-6812, fixed after 3.7.4). A share of that name
 * added next would get that one back from {@code getFactoryConfiguration}, and its update would
 * reach no one: the share manager would never hear of it.
 */
final class ShareConfigurations {
    private ShareConfigurations() {
    }

    /** The configuration stored under {@code pid}, if there is one; never creates one. */
    static Optional<Configuration> stored(ConfigurationAdmin admin, String pid) throws IOException {
        Configuration[] found;
        try {
            found = admin.listConfigurations("(" + Constants.SERVICE_PID + "=" + escaped(pid) + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("an escaped PID makes a valid filter: " + pid, e);
        }
        return found == null || found.length == 0 ? Optional.empty() : Optional.of(found[0]);
    }

    /** The share factory's configuration named {@code name}, replacing a plain one left under its PID. */
    static Configuration named(ConfigurationAdmin admin, String name) throws IOException {
        Configuration c = admin.getFactoryConfiguration(ShareManager.FACTORY_PID, name, "?");
        if (!ShareManager.FACTORY_PID.equals(c.getFactoryPid())) {
            c.delete();
            c = admin.getFactoryConfiguration(ShareManager.FACTORY_PID, name, "?");
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

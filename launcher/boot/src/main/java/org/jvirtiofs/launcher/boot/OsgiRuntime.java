package org.jvirtiofs.launcher.boot;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;

/**
 * The framework's side of a start, on the class loader that holds the framework (so it is given
 * only the JDK's types): make the framework on its storage, install the bundles unless the
 * storage already holds them, offer the command line as a service, start, and wait for the stop.
 * {@link Main} prepares everything before it.
 */
public final class OsgiRuntime implements Callable<Integer> {
    /** The service property bnd's launcher used for the command line, which components look for. */
    static final String ARGUMENTS = "launcher.arguments";
    private static final long STOP_MILLIS = 10_000;

    private final String name;
    private final Map<String, String> properties;
    private final List<String> locations;
    private final List<Integer> startLevels;
    private final boolean restore;
    private final Consumer<Boolean> stopped;
    private final String[] args;
    private final PrintStream err = System.err;

    /**
     * @param properties the framework's properties, its storage included
     * @param locations the bundles' locations, in start order
     * @param startLevels their start levels
     * @param restore whether the storage holds these bundles installed, from a clean stop
     * @param stopped told once the framework has stopped: true if it stopped cleanly
     */
    public OsgiRuntime(String name, Map<String, String> properties, List<String> locations, List<Integer> startLevels,
            boolean restore, Consumer<Boolean> stopped, String[] args) {
        this.name = name;
        this.properties = properties;
        this.locations = locations;
        this.startLevels = startLevels;
        this.restore = restore;
        this.stopped = stopped;
        this.args = args.clone();
    }

    @Override
    public Integer call() throws Exception {
        Framework framework = restore ? restored() : null;
        if (framework == null) {
            framework = installed();
        }
        Framework running = framework;
        // SIGTERM, or System.exit from a component: stop the framework, so its storage is saved whole.
        // Classes, not lambdas, here and in the launcher's other start-up code (see the pom).
        Runtime.getRuntime().addShutdownHook(new Thread(name + "-framework-stop") {
            @Override
            public void run() {
                OsgiRuntime.this.stop(running);
            }
        });
        running.getBundleContext().addFrameworkListener(new FrameworkListener() {
            @Override
            public void frameworkEvent(FrameworkEvent event) {
                if (event.getType() == FrameworkEvent.ERROR) {
                    err.println(name + ": " + event.getBundle().getSymbolicName() + ": " + event.getThrowable());
                }
            }
        });
        Hashtable<String, Object> service = new Hashtable<>();
        service.put(ARGUMENTS, args);
        running.getBundleContext().registerService(Object.class, new Object(), service);
        running.start();
        boolean clean = running.waitForStop(0).getType() == FrameworkEvent.STOPPED;
        stopped.accept(clean);
        return clean ? 0 : 1;
    }

    /** The framework on the kept storage, if that holds exactly these bundles; else null. */
    private Framework restored() {
        Framework framework = framework(Map.of());
        try {
            framework.init();
            Set<String> installed = new HashSet<>();
            for (Bundle b : framework.getBundleContext().getBundles()) {
                if (b.getBundleId() != 0) {
                    installed.add(b.getLocation());
                }
            }
            if (installed.equals(new HashSet<>(locations))) {
                return framework;
            }
        } catch (BundleException | RuntimeException e) {
            // a storage area the framework cannot read is made afresh below
        }
        try {
            framework.stop();
            framework.waitForStop(STOP_MILLIS);
        } catch (BundleException | InterruptedException | RuntimeException e) {
            // it never started anything
        }
        return null;
    }

    private Framework installed() throws BundleException {
        Framework framework = framework(Map.of(Constants.FRAMEWORK_STORAGE_CLEAN,
                Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT));
        framework.init();
        BundleContext context = framework.getBundleContext();
        for (int i = 0; i < locations.size(); i++) {
            Bundle bundle = context.installBundle(locations.get(i));
            bundle.adapt(BundleStartLevel.class).setStartLevel(startLevels.get(i));
            if (bundle.getHeaders("").get(Constants.FRAGMENT_HOST) == null) {
                bundle.start(Bundle.START_ACTIVATION_POLICY);
            }
        }
        return framework;
    }

    private Framework framework(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(properties);
        all.putAll(more);
        Iterator<FrameworkFactory> factories =
                ServiceLoader.load(FrameworkFactory.class, OsgiRuntime.class.getClassLoader()).iterator();
        if (!factories.hasNext()) {
            throw new IllegalStateException("the embedded framework offers no FrameworkFactory");
        }
        return factories.next().newFramework(all);
    }

    /** Stops the framework, waits for it, and tells {@code stopped} whether it stopped cleanly; safe to call twice. */
    private void stop(Framework framework) {
        boolean clean;
        try {
            framework.stop();
            clean = framework.waitForStop(STOP_MILLIS).getType() == FrameworkEvent.STOPPED;
        } catch (BundleException | InterruptedException | RuntimeException e) {
            clean = false;
        }
        stopped.accept(clean);
    }
}

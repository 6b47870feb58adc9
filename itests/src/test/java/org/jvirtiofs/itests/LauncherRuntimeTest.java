package org.jvirtiofs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.inject.Inject;

import org.junit.Test;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.MappedRegion;
import org.jvirtiofs.posix.MemFlags;
import org.jvirtiofs.posix.Memory;
import org.jvirtiofs.posix.Rlimit;
import org.jvirtiofs.posix.ThisProcess;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The launcher's bundle set boots in a real Equinox: every bundle active, every component satisfied. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LauncherRuntimeTest {

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() {
        return LauncherBundleSet.options();
    }

    @Test
    public void everyLauncherBundleIsActiveAndEveryFragmentAttached() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                wrong.add(b.getSymbolicName() + " is in state " + b.getState());
            }
        }
        assertTrue("bundles not as expected: " + wrong, wrong.isEmpty());
    }

    @Test
    public void launcherBundlesAreAllInstalled() {
        List<String> names = new ArrayList<>();
        Arrays.stream(context.getBundles()).forEach(b -> names.add(b.getSymbolicName()));
        for (String required : List.of("org.jvirtiofs.api", "org.jvirtiofs.posix", "org.apache.felix.scr",
                "org.apache.felix.configadmin", "org.apache.felix.fileinstall", "org.apache.felix.gogo.shell",
                "slf4j.simple", "com.github.jnr.jffi", "com.github.jnr.jffi.native", "com.github.jnr.posix")) {
            assertTrue(required + " is not installed: " + names, names.contains(required));
        }
    }

    @Test
    public void everyComponentIsSatisfied() {
        List<String> unsatisfied = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            assertTrue(d.name + " is disabled", scr.isComponentEnabled(d));
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                    unsatisfied.add(d.name + " (state " + c.state + ", unsatisfied references "
                            + Arrays.toString(c.unsatisfiedReferences) + ")");
                }
            }
        }
        assertEquals("unsatisfied components", List.of(), unsatisfied);
    }

    @Test
    public void nativeLayerServesMemfdMappingsAndEventfdsInsideTheFramework() throws Exception {
        // jnr's generated glue needs the dynamic imports and the jffi fragment: this is where it shows
        int memfd = Memory.memfdCreate("itest", 0);
        int efd = Memory.eventfd(0, 0);
        try {
            Io.ftruncate(memfd, 4096);
            int rw = MemFlags.PROT_READ | MemFlags.PROT_WRITE;
            MappedRegion a = Memory.mmap(4096, rw, MemFlags.MAP_SHARED, memfd, 0);
            MappedRegion b = Memory.mmap(4096, rw, MemFlags.MAP_SHARED, memfd, 0);
            a.windowFor(0).putLong(128, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, b.windowFor(0).getLong(128));
            Memory.munmap(a);
            Memory.munmap(b);
            Memory.eventfdWrite(efd, 3);
            assertEquals(3, Memory.eventfdRead(efd));
        } finally {
            Io.close(memfd);
            Io.close(efd);
        }
    }

    @Test
    public void nativeRuntimeIsActiveAndRaisedTheOpenFileLimit() throws Exception {
        String name = "org.jvirtiofs.posix.runtime.NativeRuntime";
        ComponentDescriptionDTO d = scr.getComponentDescriptionDTOs().stream()
                .filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " is not registered"));
        ComponentConfigurationDTO c = scr.getComponentConfigurationDTOs(d).iterator().next();
        assertEquals(ComponentConfigurationDTO.ACTIVE, c.state);
        Rlimit now = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        assertEquals(now.max(), now.cur());
    }
}

package org.jvirtiofs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.devfuse.FuseMount;
import org.jvirtiofs.devfuse.MountOptions;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** Inside the framework: the memory provider's service, mounted on the host through /dev/fuse. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostMountTest {

    @Inject
    private BundleContext context;

    @Configuration
    public Option[] config() {
        return LauncherBundleSet.options();
    }

    @Test
    public void memoryProviderServiceMountsOnTheHostAndServesFiles() throws Exception {
        Collection<ServiceReference<FilesystemFactory>> refs = context.getServiceReferences(
                FilesystemFactory.class, "(" + FilesystemFactory.TYPE_PROPERTY + "=memory)");
        assertEquals(1, refs.size());
        FilesystemFactory factory = context.getService(refs.iterator().next());
        FuseFilesystem fs = factory.create(Map.of());
        Path mnt = Files.createTempDirectory("jvirtiofs-itest");
        try (FuseMount mount = FuseMount.mount(mnt, fs, MountOptions.defaults())) {
            Files.createDirectories(mnt.resolve("a/b"));
            Files.writeString(mnt.resolve("a/b/hello.txt"), "hello from the framework");
            assertEquals("hello from the framework", Files.readString(mnt.resolve("a/b/hello.txt")));
            try (var entries = Files.list(mnt)) {
                assertEquals(1, entries.count());
            }
        } finally {
            fs.close();
        }
        assertFalse("unmounted", Files.exists(mnt.resolve("a")));
        Files.delete(mnt);
    }
}

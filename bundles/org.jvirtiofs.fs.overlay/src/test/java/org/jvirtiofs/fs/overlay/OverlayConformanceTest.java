package org.jvirtiofs.fs.overlay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.devfuse.ProviderConformanceKit;

/** The overlay through the provider conformance kit: an empty lower under an empty upper behaves as tmpfs. */
class OverlayConformanceTest extends ProviderConformanceKit {
    @Override
    protected FuseFilesystem newProvider(Path scratch) throws Exception {
        Path lower = Files.createDirectory(scratch.resolve("lower"));
        Path upper = Files.createDirectory(scratch.resolve("upper"));
        return new OverlayFilesystemFactory().create(Map.of(OverlayOptions.LOWER, lower.toString(),
                OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "never"));
    }
}

package org.jvirtiofs.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temp dirs under the module's target/ (the root ext4 file system) rather than /tmp, which may
 * be a tmpfs without user xattrs, hole punching or file handles on older kernels.
 */
public final class OnDiskTempDir implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        Path parent = Files.createDirectories(Path.of("target", "native-tests").toAbsolutePath());
        return Files.createTempDirectory(parent, "junit");
    }
}

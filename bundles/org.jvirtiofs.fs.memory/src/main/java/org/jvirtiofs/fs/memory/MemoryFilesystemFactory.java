package org.jvirtiofs.fs.memory;

import java.util.Map;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FuseFilesystem;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code memory} provider: a fresh, empty {@link MemoryFilesystem} per share, configured by
 * the options {@link MemoryOptions} lists (size, nr_inodes, mode, uid, gid, cache).
 */
@Component(service = FilesystemFactory.class,
        property = FilesystemFactory.TYPE_PROPERTY + "=" + MemoryFilesystemFactory.TYPE)
public final class MemoryFilesystemFactory implements FilesystemFactory {
    /** The provider type, as shares name it: {@code provider=memory}. */
    public static final String TYPE = "memory";

    private static final Logger LOG = LoggerFactory.getLogger(MemoryFilesystemFactory.class);

    @Override
    public String type() {
        return TYPE;
    }

    /** @throws IllegalArgumentException naming the option and value if one is malformed */
    @Override
    public FuseFilesystem create(Map<String, ?> options) {
        MemoryOptions parsed = MemoryOptions.parse(options);
        LOG.info("memory filesystem: {} bytes, {} inodes, root {}:{} mode {}, cache {}",
                parsed.size(), parsed.inodes(), Integer.toUnsignedString(parsed.rootUid()),
                Integer.toUnsignedString(parsed.rootGid()),
                Integer.toOctalString(parsed.rootMode()), parsed.cache().optionValue());
        return new MemoryFilesystem(parsed);
    }
}

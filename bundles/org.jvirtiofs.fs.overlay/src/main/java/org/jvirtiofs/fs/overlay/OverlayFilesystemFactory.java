package org.jvirtiofs.fs.overlay;

import java.util.Map;
import java.util.stream.Collectors;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.Handover;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code overlay} provider: one {@link OverlayFilesystem} per share, merging the
 * {@code lower} directories under the {@code upper} one ({@link OverlayOptions} lists the rest).
 */
@Component(service = FilesystemFactory.class,
        property = FilesystemFactory.TYPE_PROPERTY + "=" + OverlayFilesystemFactory.TYPE)
public final class OverlayFilesystemFactory implements FilesystemFactory {
    /** The provider type, as shares name it: {@code provider=overlay}. */
    public static final String TYPE = "overlay";

    private static final Logger LOG = LoggerFactory.getLogger(OverlayFilesystemFactory.class);

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * @throws IllegalArgumentException naming the option and value if one is missing, malformed,
     *     not a directory, or if layers overlap
     */
    @Override
    public FuseFilesystem create(Map<String, ?> options) throws FsException {
        OverlayOptions o = OverlayOptions.parse(options);
        LOG.info("overlay of {} under {}: whiteouts {}, cache {}, readonly {}, xattr {}",
                o.lowers().stream().map(Object::toString).collect(Collectors.joining(":")),
                o.upper() == null ? "no upper (read-only)" : o.upper(), o.whiteout().optionValue(),
                o.cache().optionValue(), o.readonly(), o.xattr());
        return new OverlayFilesystem(o);
    }

    /** An overlay taking over a live share: every node whose path still resolves keeps its id. */
    @Override
    public FuseFilesystem takeOver(Map<String, ?> options, Handover from) throws FsException {
        OverlayFilesystem fs = (OverlayFilesystem) create(options);
        try {
            fs.takeOver(from);
            return fs;
        } catch (FsException | RuntimeException e) {
            fs.close();
            throw e;
        }
    }
}

package org.jvirtiofs.api;

import java.util.Map;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * The OSGi service a provider bundle registers: it makes one {@link FuseFilesystem} per share.
 *
 * <p>Register it with the service property {@link #TYPE_PROPERTY} equal to {@link #type()}, so a
 * share configured with {@code provider=passthrough} finds its factory with a filter.
 */
@ConsumerType
public interface FilesystemFactory {

    /** Service property naming the provider type, e.g. "passthrough", "overlay", "memory". */
    String TYPE_PROPERTY = "jvirtiofs.provider.type";

    /** Option: the host directory to share, for providers that serve one. */
    String OPTION_SOURCE = "source";
    /** Option: a {@link CacheMode} value such as "auto", for providers that cache. */
    String OPTION_CACHE = "cache";
    /** Option: "true" to refuse every change with EROFS. */
    String OPTION_READONLY = "readonly";

    /** The provider type, the value of {@link #TYPE_PROPERTY}; short, lower case, stable. */
    String type();

    /**
     * Creates a filesystem for one share.
     *
     * <p>{@code options} are the share's configuration: well-known keys are the OPTION_*
     * constants, the rest are the provider's own; values are strings or their typed form (Config
     * Admin may give {@code Boolean.TRUE} where a command line gives "true"), so accept both.
     * Ignore keys you do not know: Config Admin adds its own (service.pid, ...). Each call returns
     * an independent filesystem; the caller closes it with {@link FuseFilesystem#close()} when
     * the share goes away.
     *
     * @throws IllegalArgumentException if an option is missing or malformed, with a
     *     message naming the option and what was expected (operators read it in the shell)
     * @throws FsException if the host refuses, e.g. the source directory does not exist
     *     ({@code FsException.of(ENOENT, "source /srv/x does not exist")})
     */
    FuseFilesystem create(Map<String, ?> options) throws FsException;

    /**
     * Creates a filesystem for a share that is already mounted by a guest, taking over from the
     * provider that served it until now ({@link FuseFilesystem#handover()}): it must answer the
     * node ids and handles in {@code from} as that provider did, and allocate new ones above
     * {@link Handover#maxNodeId()} and {@link Handover#maxHandle()}. {@code from} may come from
     * another provider type; resolve what you can and answer ESTALE for the rest. INIT is not
     * repeated: the share calls {@link FuseFilesystem#init} with the features already agreed.
     *
     * <p>Optional. Default: EOPNOTSUPP, and the share falls back to {@link #create}.
     *
     * @throws FsException if the state cannot be taken over; the old provider then stays
     */
    default FuseFilesystem takeOver(Map<String, ?> options, Handover from) throws FsException {
        throw FsException.of(Errno.EOPNOTSUPP, type() + " cannot take over a live share");
    }
}

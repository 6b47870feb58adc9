package org.jvirtiofs.share;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * A share's configuration as Config Admin and metatype tools see it. Keys the provider knows
 * beyond these (e.g. passthrough's {@code writeback} or {@code uid-map}) may be added freely:
 * every key that is not a share key goes to the provider.
 */
@ObjectClassDefinition(name = "jvirtiofs share", description = "A provider serving one tree to a guest "
        + "over vhost-user (socket) or on the host over /dev/fuse (mountpoint).")
@interface ShareConfig {
    @AttributeDefinition(description = "The share's name and virtiofs tag (mount -t virtiofs NAME); "
            + "default: the configuration's name")
    String name();

    @AttributeDefinition(description = "The provider type: passthrough, memory, or a plugin's")
    String provider() default "passthrough";

    @AttributeDefinition(description = "The host directory to share (providers that serve one)")
    String source();

    @AttributeDefinition(description = "The vhost-user socket QEMU connects to; or set mountpoint", required = false)
    String socket();

    @AttributeDefinition(description = "A host directory to mount the share on over /dev/fuse instead of a socket",
            required = false)
    String mountpoint();

    @AttributeDefinition(description = "Caching: never, auto, metadata or always", required = false)
    String cache() default "auto";

    @AttributeDefinition(description = "Refuse every change with EROFS", required = false)
    boolean readonly() default false;

    @AttributeDefinition(description = "uid translation, virtiofsd's --translate-uid forms, comma-separated: "
            + "map:GUEST:HOST:COUNT, squash-guest:GUEST:HOST:COUNT, squash-host:GUEST:HOST:COUNT, "
            + "forbid-guest:GUEST:COUNT, guest:GUEST:HOST:COUNT, host:GUEST:HOST:COUNT", required = false)
    String uid$_$map();

    @AttributeDefinition(description = "gid translation, the same forms as uid-map", required = false)
    String gid$_$map();

    @AttributeDefinition(description = "xattr name mapping rules in virtiofsd's --xattrmap syntax, e.g. "
            + ":prefix:all::user.virtiofs.:", required = false)
    String xattrmap();

    @AttributeDefinition(description = "Worker threads per queue (0: the queue's own thread serves)",
            required = false)
    int threads() default 0;

    @AttributeDefinition(description = "Seconds a request waits for a provider that went away before EIO",
            required = false)
    int suspend$_$timeout() default 10;

    @AttributeDefinition(description = "vhost-user shares: seconds at most to rehearse the request path on a "
            + "scratch directory until the guest's first request, so its first work does not run on cold code; "
            + "0 for none (the default). One warm-up at a time in a platform, once per provider type",
            required = false)
    int warm$_$up() default 0;
}

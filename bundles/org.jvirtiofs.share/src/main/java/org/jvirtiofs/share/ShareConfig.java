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

    @AttributeDefinition(description = "Passthrough: take the guest's fcntl locks on the host, where the host "
            + "and other guests see them (the default); false leaves them to the guest kernel, as virtiofsd does "
            + "by default, and spares the guest a FLUSH round trip on every close of a file opened read-only",
            required = false)
    boolean posix$_$locks() default true;

    @AttributeDefinition(description = "Passthrough: take the guest's flock locks on the host (the default); "
            + "false leaves them to the guest kernel", required = false)
    boolean flock() default true;

    @AttributeDefinition(description = "Passthrough: at cache=always on a writable share without host locks or "
            + "writeback, the guest opens and closes files without OPEN, FLUSH and RELEASE round trips (the "
            + "default); false keeps them", required = false)
    boolean zero$_$message$_$open() default true;

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

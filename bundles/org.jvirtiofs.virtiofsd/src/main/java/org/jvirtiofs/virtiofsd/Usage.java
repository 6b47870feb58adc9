package org.jvirtiofs.virtiofsd;

/** The text of {@code --help} and {@code --print-capabilities}. */
final class Usage {
    /** What libvirt reads from --print-capabilities: a vhost-user backend of type fs. */
    static final String CAPABILITIES = "{\n  \"type\": \"fs\"\n}";

    static final String HELP = """
            Usage: jvirtiofsd [OPTIONS] --shared-dir=DIR (--socket-path=PATH | --fd=FD)

            A virtio-fs daemon (vhost-user backend) on the jvirtiofs OSGi runtime; a drop-in for
            virtiofsd. QEMU: -chardev socket,id=fs0,path=PATH -device vhost-user-fs-pci,chardev=fs0,tag=TAG

              --shared-dir=DIR             the directory to share (also -o source=DIR)
              --socket-path=PATH           listen for QEMU on this vhost-user socket
              --socket-group=GROUP         let GROUP's members connect to the socket (mode 0770)
              --fd=FD                      serve an inherited listening socket (libvirt)
              --cache=MODE                 never | auto | metadata | always (default auto)
              --thread-pool-size=N         threads for requests; 0 serves them on the queue thread
              --readonly                   refuse every change with EROFS
              --xattr                      serve extended attributes
              --xattrmap=RULES             map xattr names (virtiofsd's rules, e.g. ':map::user.virtiofs.:')
              --translate-uid=MAP          translate uids: map:G:H:N, guest:G:H:N, host:H:G:N,
                                           squash-guest:G:H:N, squash-host:H:G:N, forbid-guest:G:N
                                           (repeatable)
              --translate-gid=MAP          translate gids, in the same forms
              --inode-file-handles=MODE    never | prefer | mandatory (default never)
              --announce-submounts         tell the guest about submounts
              --writeback                  let the guest cache writes
              --allow-mmap                 let files opened with direct I/O (cache=never, metadata) be
                                           mapped shared, where the guest's kernel allows it (Linux
                                           6.6 and later); without it such an mmap fails with ENODEV
              --no-readdirplus             list directories without their entries' attributes
                                           (READDIR only; always so at --cache=never)
              --sandbox=none               the only mode so far; confinement is openat2 RESOLVE_BENEATH
              --rlimit-nofile=N            set the open-files limit (soft and hard) to N; 0 keeps the
                                           one the process started with (default: a million, or
                                           fs.nr_open if lower, where the process may raise it; else
                                           its hard limit); it bounds the files a guest can hold
                                           unless --inode-file-handles=prefer
              --log-level=LEVEL            error | warn | info (default) | debug | trace | off
              --provider=TYPE              serve another provider type than passthrough (jvirtiofs)
              --warm-up=SECONDS            until the guest's first request, at most this long, rehearse
                                           requests on a temporary directory so the guest meets compiled
                                           code; 0 turns it off (default 10; passthrough and
                                           memory providers; jvirtiofs)
              -o OPT[,OPT...]              virtiofsd's compatibility options (source=, cache=, xattr, ...);
                                           the guest's fcntl and flock locks are taken on the host,
                                           where the host and other guests see them, unless
                                           -o no_posix_lock / -o no_flock leave them to the guest
                                           kernel (virtiofsd's default), which spares a round trip
                                           per close of a file opened read-only; with those and
                                           cache=always the guest opens and closes files without a
                                           message, unless -o no_zero_message_open (jvirtiofs);
                                           -o direct_write: at cache=auto, a file opened
                                           write-only is written past the guest's page cache
                                           (jvirtiofs)
              --print-capabilities         print the vhost-user backend capabilities (JSON)
              -V, --version                print the version
              -h, --help                   print this help
            """;

    private Usage() {
    }
}

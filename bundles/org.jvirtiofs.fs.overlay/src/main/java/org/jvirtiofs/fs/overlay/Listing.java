package org.jvirtiofs.fs.overlay;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.DirEntry64;
import org.jvirtiofs.posix.FileMode;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.OpenFlags;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.Stat;

/**
 * A merged directory listing, taken once when the guest opens the directory: the upper's names,
 * then each lower's names not seen above and not whited out above, topmost layer first. Whiteouts
 * and opaque markers of either format are never listed. The position in this snapshot is the
 * readdir cookie, so offsets stay valid however the directory changes while it is open.
 */
final class Listing {
    /**
     * One listed name.
     *
     * @param name the name's bytes
     * @param ino the inode number the guest sees
     * @param type the DT_* type
     */
    record Item(byte[] name, long ino, int type) {
    }

    private Listing() {
    }

    static boolean isDotOrDotDot(byte[] n) {
        return (n.length == 1 && n[0] == '.') || (n.length == 2 && n[0] == '.' && n[1] == '.');
    }

    /**
     * The merged entries (without "." and "..") of a directory made of the upper directory
     * {@code upperFd} (or -1) and the lower directories {@code dirFds} of layers {@code layers}.
     */
    static List<Item> read(Host host, int upperFd, int[] dirFds, int[] layers) throws PosixException {
        List<Item> items = new ArrayList<>();
        Set<ByteBuffer> shown = new HashSet<>();
        Set<ByteBuffer> hidden = new HashSet<>();
        Map<ByteBuffer, Integer> upperItems = new HashMap<>();
        Set<Integer> copies = new HashSet<>();
        if (upperFd >= 0) {
            for (DirEntry64 e : names(host, upperFd, hidden)) {
                ByteBuffer key = ByteBuffer.wrap(e.rawName());
                if (hidden.contains(key)) {
                    continue; // a name and its own whiteout: the whiteout wins, as in lookup
                }
                shown.add(key);
                upperItems.put(key, items.size());
                items.add(new Item(e.rawName(), Tree.inoOf(0, e.ino()), e.type()));
            }
        }
        for (int i = 0; i < dirFds.length; i++) {
            Set<ByteBuffer> whiteouts = new HashSet<>();
            for (DirEntry64 e : names(host, dirFds[i], whiteouts)) {
                ByteBuffer key = ByteBuffer.wrap(e.rawName());
                if (hidden.contains(key) || whiteouts.contains(key)) {
                    continue;
                }
                if (!shown.add(key)) {
                    Integer up = upperItems.get(key);
                    if (up != null) {
                        copies.add(up); // maybe an upper copy of this name: numbered by its origin
                    }
                    continue;
                }
                items.add(new Item(e.rawName(), Tree.inoOf(layers[i], e.ino()), e.type()));
            }
            hidden.addAll(whiteouts);
        }
        for (int i : copies) {
            Item up = items.get(i);
            int fd = host.find(upperFd, up.name());
            if (fd >= 0) {
                try {
                    long origin = host.origin(fd);
                    if (origin >= 0) {
                        items.set(i, new Item(up.name(), origin, up.type()));
                    }
                } finally {
                    Host.close(fd);
                }
            }
        }
        return items;
    }

    /**
     * The names one layer directory shows, whiteouts and markers left out; the names its
     * whiteouts hide go into {@code whiteouts}. A layer's whiteouts hide only the layers below.
     */
    private static List<DirEntry64> names(Host host, int dirFd, Set<ByteBuffer> whiteouts)
            throws PosixException {
        List<DirEntry64> names = new ArrayList<>();
        int fd = host.reopen(dirFd, OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY);
        try {
            for (List<DirEntry64> batch = Fs.getdents64(fd); !batch.isEmpty(); batch = Fs.getdents64(fd)) {
                for (DirEntry64 e : batch) {
                    byte[] n = e.rawName();
                    if (isDotOrDotDot(n)) {
                        continue;
                    }
                    if (Host.isOciName(n)) {
                        if (n.length > Host.WH_PREFIX.length && !Arrays.equals(n, Host.OPAQUE_MARKER)) {
                            whiteouts.add(ByteBuffer.wrap(Arrays.copyOfRange(n, Host.WH_PREFIX.length, n.length)));
                        }
                        continue;
                    }
                    if (e.type() == FileMode.DT_CHR || e.type() == FileMode.DT_UNKNOWN) {
                        Stat st = Fs.fstatat(dirFd, n, AtFlags.AT_SYMLINK_NOFOLLOW);
                        if (Host.isWhiteout(st)) {
                            whiteouts.add(ByteBuffer.wrap(n));
                            continue;
                        }
                        e = new DirEntry64(e.ino(), e.off(), st.type() >>> 12, n);
                    }
                    names.add(e);
                }
            }
        } finally {
            Host.close(fd);
        }
        return names;
    }
}

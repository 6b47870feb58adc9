package org.jvirtiofs.fs.memory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * A directory: its names, each with a readdir cookie, and its parent.
 *
 * <p>Every name gets the next value of a per-directory sequence when it is added, and that value
 * is its readdir cookie. Cookies only grow and are never reused, so "continue after cookie c"
 * means the same position however many names were added or removed since: removed names simply
 * stop appearing, new names appear at the end. "." and ".." hold cookies 1 and 2.
 *
 * <p>Names and the parent are guarded by the tree lock (changed only under its write lock), not
 * by the node monitor, which guards the attributes as in every node.
 */
final class Directory extends Node {
    /** A name in a directory, with the cookie it was given when added. */
    record Link(long cookie, FileName name, Node node) {
    }

    private static final long DOT_COOKIE = 1;
    private static final long DOT_DOT_COOKIE = 2;
    // what tmpfs reports per entry (BOGO_DIRENT_SIZE), so the size grows with the listing
    private static final int BOGO_DIRENT_SIZE = 20;

    private final Map<FileName, Link> byName = new HashMap<>();
    private final NavigableMap<Long, Link> byCookie = new TreeMap<>();
    private long nextCookie = DOT_DOT_COOKIE + 1;
    private Directory parent;

    /** A directory in {@code parent}; {@code null} makes it the root, its own parent. */
    Directory(long id, int mode, int uid, int gid, Directory parent, Timestamp now) {
        super(id, FileMode.S_IFDIR | FileMode.permissions(mode), uid, gid, 2, now);
        this.parent = parent == null ? this : parent;
    }

    /** The node called {@code name}, or null. */
    Node get(FileName name) {
        Link link = byName.get(name);
        return link == null ? null : link.node();
    }

    /** Adds a name, which must be new, at the end of the listing. */
    void add(FileName name, Node node) {
        Link link = new Link(nextCookie++, name, node);
        byName.put(name, link);
        byCookie.put(link.cookie(), link);
    }

    /** Removes a name; returns the node it named, or null. */
    Node remove(FileName name) {
        Link link = byName.remove(name);
        if (link == null) {
            return null;
        }
        byCookie.remove(link.cookie());
        return link.node();
    }

    /** Points an existing name at another node in place (RENAME_EXCHANGE): same cookie. */
    void replace(FileName name, Node node) {
        Link old = byName.get(name);
        Link link = new Link(old.cookie(), name, node);
        byName.put(name, link);
        byCookie.put(link.cookie(), link);
    }

    /** Whether there are no names besides "." and "..". */
    boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Drops every name (DESTROY, on the root). */
    void clear() {
        byName.clear();
        byCookie.clear();
    }

    /**
     * The listing after {@code cookie} (0: from the start), "." and ".." first. A removed
     * directory lists nothing, as on Linux.
     */
    Iterable<Link> listAfter(long cookie) {
        if (nlink() == 0) {
            return List.of();
        }
        return () -> Stream.concat(
                Stream.of(new Link(DOT_COOKIE, FileName.DOT, this),
                        new Link(DOT_DOT_COOKIE, FileName.DOT_DOT, parent))
                        .filter(link -> link.cookie() > cookie),
                byCookie.tailMap(cookie, false).values().stream()).iterator();
    }

    /** The parent directory; the root's is itself. */
    Directory parent() {
        return parent;
    }

    /** Moves this directory under another parent (rename). */
    void setParent(Directory newParent) {
        parent = newParent;
    }

    /** Whether this directory is {@code other} or lies below it: renaming other here would loop. */
    boolean isWithin(Directory other) {
        for (Directory d = this; ; d = d.parent) {
            if (d == other) {
                return true;
            }
            if (d.parent == d) {
                return false;
            }
        }
    }

    /** Whether new nodes here take the directory's group (set-group-id directory). */
    boolean hasSetgid() {
        return (mode() & FileMode.S_ISGID) != 0;
    }

    @Override
    long size() {
        // the names are stable here: every caller holds the tree lock
        return (long) (byName.size() + 2) * BOGO_DIRENT_SIZE;
    }

    @Override
    void truncate(long newSize) throws FsException {
        throw FsException.of(Errno.EISDIR);
    }

    @Override
    boolean allowsUserXattrs() {
        return true;
    }
}

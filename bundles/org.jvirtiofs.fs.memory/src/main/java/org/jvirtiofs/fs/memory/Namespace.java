package org.jvirtiofs.fs.memory;

import java.util.function.LongFunction;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * The operations that add or remove names: create, link, unlink, rmdir ({@link Rename} moves
 * them). Every method runs under the tree's write lock, so a check ("the name is free") still
 * holds when the change is made.
 *
 * <p>New nodes belong to the caller, with {@code mode & ~umask}; in a set-group-id directory they
 * take its group instead, and new subdirectories inherit the set-group-id bit (BSD semantics,
 * what Linux does).
 */
final class Namespace {
    /** NAME_MAX: the longest name in bytes. */
    static final int NAME_MAX = 255;
    /** PATH_MAX: the longest symlink target in bytes, NUL excluded. */
    static final int PATH_MAX = 4095;

    private final NodeTable nodes;
    private final Capacity capacity;

    Namespace(NodeTable nodes, Capacity capacity) {
        this.nodes = nodes;
        this.capacity = capacity;
    }

    /** MKNOD: a regular file, fifo, socket or device, by the type in {@code mode}. */
    Node mknod(Context ctx, Directory parent, FileName name, int mode, int rdev, int umask,
            Timestamp now) throws FsException {
        int type = FileMode.type(mode);
        int permissions = FileMode.permissions(mode) & ~umask;
        int gid = groupFor(ctx, parent);
        return switch (type) {
            case 0, FileMode.S_IFREG -> createFile(ctx, parent, name, mode, umask, now);
            case FileMode.S_IFIFO, FileMode.S_IFSOCK, FileMode.S_IFCHR, FileMode.S_IFBLK ->
                add(parent, name, now, id -> new SpecialFile(id, type | permissions, rdev,
                        ctx.uid(), gid, now));
            case FileMode.S_IFDIR -> throw FsException.of(Errno.EPERM); // mkdir's job
            default -> throw FsException.of(Errno.EINVAL);
        };
    }

    /** CREATE, or MKNOD of a regular file. */
    RegularFile createFile(Context ctx, Directory parent, FileName name, int mode, int umask,
            Timestamp now) throws FsException {
        int permissions = FileMode.permissions(mode) & ~umask;
        return add(parent, name, now, id -> new RegularFile(id, permissions, ctx.uid(),
                groupFor(ctx, parent), true, now, capacity));
    }

    /** MKDIR, and with it one more link on the parent (the new directory's ".."). */
    Directory mkdir(Context ctx, Directory parent, FileName name, int mode, int umask,
            Timestamp now) throws FsException {
        int permissions = FileMode.permissions(mode) & ~umask
                | (parent.hasSetgid() ? FileMode.S_ISGID : 0);
        Directory dir = add(parent, name, now,
                id -> new Directory(id, permissions, ctx.uid(), groupFor(ctx, parent), parent, now));
        parent.incrementLinks();
        return dir;
    }

    /** SYMLINK: ENOENT for an empty target, ENAMETOOLONG past PATH_MAX, as symlink(2). */
    Symlink symlink(Context ctx, Directory parent, FileName name, byte[] target, Timestamp now)
            throws FsException {
        if (target.length == 0) {
            throw FsException.of(Errno.ENOENT);
        }
        if (target.length > PATH_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG);
        }
        return add(parent, name, now,
                id -> new Symlink(id, target, ctx.uid(), groupFor(ctx, parent), now));
    }

    /** TMPFILE: a regular file with no name, which LINK may name later. */
    RegularFile tmpfile(Context ctx, Directory parent, int mode, int umask, Timestamp now)
            throws FsException {
        checkAlive(parent);
        int permissions = FileMode.permissions(mode) & ~umask;
        return nodes.add(id -> new RegularFile(id, permissions, ctx.uid(), groupFor(ctx, parent),
                false, now, capacity));
    }

    /** LINK: another name for a non-directory (EPERM for directories, as link(2)). */
    void link(Node node, Directory parent, FileName name, Timestamp now) throws FsException {
        if (node instanceof Directory) {
            throw FsException.of(Errno.EPERM);
        }
        checkNewName(parent, name);
        // a node whose last name is gone stays nameless, except an O_TMPFILE file
        if (node.nlink() == 0 && !(node instanceof RegularFile file && file.isLinkable())) {
            throw FsException.of(Errno.ENOENT);
        }
        parent.add(name, node);
        node.incrementLinks();
        node.touchChanged(now);
        parent.touchModified(now);
    }

    /** UNLINK: removes a name that is not a directory (EISDIR). */
    void unlink(Directory parent, FileName name, Timestamp now) throws FsException {
        Node node = existing(parent, name);
        if (node instanceof Directory) {
            throw FsException.of(Errno.EISDIR);
        }
        parent.remove(name);
        node.decrementLinks();
        node.touchChanged(now);
        parent.touchModified(now);
        nodes.unlinked(node);
    }

    /** RMDIR: removes an empty directory (ENOTDIR, ENOTEMPTY otherwise). */
    void rmdir(Directory parent, FileName name, Timestamp now) throws FsException {
        Node node = existing(parent, name);
        if (!(node instanceof Directory dir)) {
            throw FsException.of(Errno.ENOTDIR);
        }
        if (!dir.isEmpty()) {
            throw FsException.of(Errno.ENOTEMPTY);
        }
        parent.remove(name);
        removeDirectory(parent, dir, now);
    }

    /** Takes {@code dir}, already unnamed, out of the tree (rmdir, or renamed over). */
    void removeDirectory(Directory parent, Directory dir, Timestamp now) {
        dir.setLinks(0);
        dir.touchChanged(now);
        parent.decrementLinks();
        parent.touchModified(now);
        nodes.unlinked(dir);
    }

    /** The node {@code name} names in {@code parent}; ENOENT if none. */
    static Node existing(Directory parent, FileName name) throws FsException {
        Node node = parent.get(name);
        if (node == null) {
            throw FsException.of(Errno.ENOENT);
        }
        return node;
    }

    /** EEXIST if {@code name} is taken, ENAMETOOLONG if too long, ENOENT in a removed dir. */
    static void checkNewName(Directory parent, FileName name) throws FsException {
        if (name.length() > NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG);
        }
        checkAlive(parent);
        if (parent.get(name) != null) {
            throw FsException.of(Errno.EEXIST);
        }
    }

    private <N extends Node> N add(Directory parent, FileName name, Timestamp now,
            LongFunction<N> create) throws FsException {
        checkNewName(parent, name);
        N node = nodes.add(create);
        parent.add(name, node);
        parent.touchModified(now);
        return node;
    }

    private static void checkAlive(Directory dir) throws FsException {
        // nothing may be created in a directory that was removed while open
        if (dir.nlink() == 0) {
            throw FsException.of(Errno.ENOENT);
        }
    }

    private static int groupFor(Context ctx, Directory parent) {
        return parent.hasSetgid() ? parent.gid() : ctx.gid();
    }
}

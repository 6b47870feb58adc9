package org.jvirtiofs.fs.memory;

import static org.jvirtiofs.api.FuseFilesystem.RENAME_EXCHANGE;
import static org.jvirtiofs.api.FuseFilesystem.RENAME_NOREPLACE;
import static org.jvirtiofs.api.FuseFilesystem.RENAME_WHITEOUT;

import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FsException;

/**
 * RENAME and RENAME2 with the rules of rename(2) and renameat2(2), under the tree's write lock.
 *
 * <p>Every check runs before the first change, so a failed rename changes nothing.
 * RENAME_WHITEOUT is implemented: the old name is left as a whiteout, a character device 0/0
 * (what overlayfs in the guest asks for when its upper layer is on virtiofs).
 */
final class Rename {
    private static final int KNOWN_FLAGS = RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT;
    private static final int WHITEOUT_RDEV = 0;

    private final NodeTable nodes;
    private final Namespace namespace;

    Rename(NodeTable nodes, Namespace namespace) {
        this.nodes = nodes;
        this.namespace = namespace;
    }

    /** Moves {@code oldName} in {@code oldDir} to {@code newName} in {@code newDir}. */
    void rename(Context ctx, Directory oldDir, FileName oldName, Directory newDir,
            FileName newName, int flags, Timestamp now) throws FsException {
        checkFlags(flags);
        Node source = Namespace.existing(oldDir, oldName);
        if (newName.length() > Namespace.NAME_MAX) {
            throw FsException.of(Errno.ENAMETOOLONG);
        }
        if (newDir.nlink() == 0) {
            throw FsException.of(Errno.ENOENT);
        }
        Node target = newDir.get(newName);
        if (target != null && (flags & RENAME_NOREPLACE) != 0) {
            throw FsException.of(Errno.EEXIST);
        }
        checkNotIntoItself(source, newDir);
        if ((flags & RENAME_EXCHANGE) != 0) {
            if (target == null) {
                throw FsException.of(Errno.ENOENT);
            }
            checkNotIntoItself(target, oldDir);
            exchange(oldDir, oldName, source, newDir, newName, target, now);
            return;
        }
        if (source == target) {
            return; // two names of one node: rename(2) does nothing
        }
        if (target != null) {
            checkReplaceable(source, target);
        }
        // the one step that can fail (ENOSPC) comes before the first change
        Node whiteout = (flags & RENAME_WHITEOUT) == 0 ? null : nodes.add(id -> new SpecialFile(
                id, FileMode.S_IFCHR, WHITEOUT_RDEV, ctx.uid(), ctx.gid(), now));
        move(oldDir, oldName, source, newDir, newName, target, now);
        if (whiteout != null) {
            oldDir.add(oldName, whiteout);
        }
    }

    private void move(Directory oldDir, FileName oldName, Node source, Directory newDir,
            FileName newName, Node target, Timestamp now) {
        oldDir.remove(oldName);
        if (target != null) {
            newDir.remove(newName);
            if (target instanceof Directory replaced) {
                namespace.removeDirectory(newDir, replaced, now);
            } else {
                target.decrementLinks();
                target.touchChanged(now);
                nodes.unlinked(target);
            }
        }
        newDir.add(newName, source);
        reparent(source, oldDir, newDir);
        source.touchChanged(now);
        oldDir.touchModified(now);
        newDir.touchModified(now);
    }

    private static void exchange(Directory oldDir, FileName oldName, Node source,
            Directory newDir, FileName newName, Node target, Timestamp now) {
        oldDir.replace(oldName, target);
        newDir.replace(newName, source);
        reparent(source, oldDir, newDir);
        reparent(target, newDir, oldDir);
        source.touchChanged(now);
        target.touchChanged(now);
        oldDir.touchModified(now);
        newDir.touchModified(now);
    }

    /** EINVAL for unknown flags, or EXCHANGE with another flag (renameat2(2)). */
    private static void checkFlags(int flags) throws FsException {
        if ((flags & ~KNOWN_FLAGS) != 0 || ((flags & RENAME_EXCHANGE) != 0
                && (flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0)) {
            throw FsException.of(Errno.EINVAL);
        }
    }

    /** A directory that changes parents moves its ".." link along. */
    private static void reparent(Node node, Directory from, Directory to) {
        if (node instanceof Directory dir && from != to) {
            dir.setParent(to);
            from.decrementLinks();
            to.incrementLinks();
        }
    }

    /** EINVAL if {@code node} is a directory and {@code destination} lies inside it. */
    private static void checkNotIntoItself(Node node, Directory destination) throws FsException {
        if (node instanceof Directory dir && destination.isWithin(dir)) {
            throw FsException.of(Errno.EINVAL);
        }
    }

    /** What may replace what: a directory only an empty directory, a file only a non-directory. */
    private static void checkReplaceable(Node source, Node target) throws FsException {
        boolean sourceIsDir = source instanceof Directory;
        if (target instanceof Directory targetDir) {
            if (!sourceIsDir) {
                throw FsException.of(Errno.EISDIR);
            }
            if (!targetDir.isEmpty()) {
                throw FsException.of(Errno.ENOTEMPTY);
            }
        } else if (sourceIsDir) {
            throw FsException.of(Errno.ENOTDIR);
        }
    }
}

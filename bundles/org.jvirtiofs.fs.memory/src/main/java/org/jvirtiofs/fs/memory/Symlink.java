package org.jvirtiofs.fs.memory;

import org.jvirtiofs.api.FileMode;

/** A symbolic link: a node whose content is its target, fixed at creation. */
final class Symlink extends Node {
    private static final int PERMISSIONS = 0777; // symlink permissions are never checked

    private final byte[] target;

    Symlink(long id, byte[] target, int uid, int gid, Timestamp now) {
        super(id, FileMode.S_IFLNK | PERMISSIONS, uid, gid, 1, now);
        this.target = target.clone();
    }

    /** A copy of the target, as READLINK returns it. */
    byte[] target() {
        return target.clone();
    }

    @Override
    long size() {
        return target.length;
    }
}

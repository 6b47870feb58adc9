package org.jvirtiofs.fs.memory;

/**
 * A fifo, socket, or character or block device: only attributes. The guest kernel opens these
 * itself (its own pipe or device driver), so no data ever reaches the provider.
 */
final class SpecialFile extends Node {
    private final int rdev;

    SpecialFile(long id, int mode, int rdev, int uid, int gid, Timestamp now) {
        super(id, mode, uid, gid, 1, now);
        this.rdev = rdev;
    }

    @Override
    long size() {
        return 0;
    }

    @Override
    int rdev() {
        return rdev;
    }
}

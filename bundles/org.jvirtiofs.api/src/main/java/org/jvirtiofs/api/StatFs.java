package org.jvirtiofs.api;

/**
 * Filesystem statistics for statfs(2): {@code struct fuse_kstatfs}.
 *
 * @param blocks total data blocks, in {@code frsize} units
 * @param bfree free blocks
 * @param bavail free blocks available to unprivileged users
 * @param files total inodes
 * @param ffree free inodes
 * @param bsize preferred I/O block size
 * @param namelen maximum name length in bytes
 * @param frsize fragment size, the unit of the block counts
 */
public record StatFs(long blocks, long bfree, long bavail, long files, long ffree, int bsize,
        int namelen, int frsize) {
}

package org.jvirtiofs.fs.passthrough;

/**
 * An open file as a handle names it: the inode and the host fd opened with the guest's flags
 * (adjusted for writeback caching). flock(2) locks live on this fd's open file description.
 */
record OpenFile(Inode inode, int fd, int flags) {
}

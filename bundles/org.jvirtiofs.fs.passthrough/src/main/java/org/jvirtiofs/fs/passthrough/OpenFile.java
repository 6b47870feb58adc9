package org.jvirtiofs.fs.passthrough;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An open file as a handle names it: the inode and the host fd opened with the guest's flags
 * (adjusted for writeback caching). flock(2) locks live on this fd's open file description.
 *
 * @param lockOwners the owners that took record locks through this handle. A guest OFD lock's
 *     owner is the guest's open file, and with remote locks Linux sends no unlock when that file
 *     is closed; RELEASE of this handle is where its locks must go.
 */
record OpenFile(Inode inode, int fd, int flags, Set<Long> lockOwners) {
    OpenFile(Inode inode, int fd, int flags) {
        this(inode, fd, flags, ConcurrentHashMap.newKeySet());
    }
}

package org.jvirtiofs.posix;

/** File system statistics as statfs(2) reports them. */
public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
                     long fsid, long namelen, long frsize, long flags) {
}

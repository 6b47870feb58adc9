package org.jvirtiofs.api;

/**
 * Who is asking: the caller of one request, from {@code fuse_in_header}.
 *
 * <p>Values are as the guest kernel sees them (its initial user namespace). With virtiofs the
 * kernel always mounts with {@code default_permissions}, so it has already checked permission bits
 * against the attributes it caches; a provider uses the context mainly to give new files the
 * caller's ownership. {@code pid} may be 0 when no process is behind the request (FORGET,
 * RELEASE, writeback of cached pages).
 *
 * @param uid the caller's fsuid, an unsigned 32-bit value held in an int
 * @param gid the caller's fsgid, an unsigned 32-bit value held in an int
 * @param pid the caller's thread group id in the guest, or 0
 */
public record Context(int uid, int gid, int pid) {

    /** The kernel itself: uid 0, gid 0, pid 0; for requests no process made and for tests. */
    public static final Context KERNEL = new Context(0, 0, 0);
}

package org.jvirtiofs.api;

/**
 * Which fields a SETATTR changes: the FATTR_* bits of {@code fuse_setattr_in.valid}.
 *
 * @param bits the FATTR_* bits as sent
 */
public record SetattrValid(int bits) {
    /** chmod: set the permission bits from {@link Attr#mode()}. */
    public static final int FATTR_MODE = 1 << 0;
    /** chown: set the owner. */
    public static final int FATTR_UID = 1 << 1;
    /** chown: set the group. */
    public static final int FATTR_GID = 1 << 2;
    /** truncate: set the size. */
    public static final int FATTR_SIZE = 1 << 3;
    /** utimensat: set atime to the given time. */
    public static final int FATTR_ATIME = 1 << 4;
    /** utimensat: set mtime to the given time. */
    public static final int FATTR_MTIME = 1 << 5;
    /** The request names an open file handle. */
    public static final int FATTR_FH = 1 << 6;
    /** With FATTR_ATIME: set atime to the current time (UTIME_NOW), ignoring the value sent. */
    public static final int FATTR_ATIME_NOW = 1 << 7;
    /** With FATTR_MTIME: set mtime to the current time (UTIME_NOW), ignoring the value sent. */
    public static final int FATTR_MTIME_NOW = 1 << 8;
    /** The request carries a lock owner (truncate on an open file with locks). */
    public static final int FATTR_LOCKOWNER = 1 << 9;
    /** Set ctime (the kernel sends it with writeback caching). */
    public static final int FATTR_CTIME = 1 << 10;
    /** HANDLE_KILLPRIV_V2: also clear set-user-id and set-group-id bits (and capabilities). */
    public static final int FATTR_KILL_SUIDGID = 1 << 11;

    /** Whether all bits of {@code flag} are set. */
    public boolean has(int flag) {
        return (bits & flag) == flag;
    }

    /** Whether the mode changes. */
    public boolean hasMode() {
        return has(FATTR_MODE);
    }

    /** Whether the owner changes. */
    public boolean hasUid() {
        return has(FATTR_UID);
    }

    /** Whether the group changes. */
    public boolean hasGid() {
        return has(FATTR_GID);
    }

    /** Whether the size changes. */
    public boolean hasSize() {
        return has(FATTR_SIZE);
    }

    /** Whether atime changes (to the value sent, or to now if {@link #hasAtimeNow()}). */
    public boolean hasAtime() {
        return has(FATTR_ATIME);
    }

    /** Whether mtime changes (to the value sent, or to now if {@link #hasMtimeNow()}). */
    public boolean hasMtime() {
        return has(FATTR_MTIME);
    }

    /** Whether the request names an open file handle. */
    public boolean hasHandle() {
        return has(FATTR_FH);
    }

    /** Whether atime is set to the current time. */
    public boolean hasAtimeNow() {
        return has(FATTR_ATIME_NOW);
    }

    /** Whether mtime is set to the current time. */
    public boolean hasMtimeNow() {
        return has(FATTR_MTIME_NOW);
    }

    /** Whether a lock owner was sent. */
    public boolean hasLockOwner() {
        return has(FATTR_LOCKOWNER);
    }

    /** Whether ctime changes. */
    public boolean hasCtime() {
        return has(FATTR_CTIME);
    }

    /** Whether set-id bits must be cleared. */
    public boolean hasKillSuidgid() {
        return has(FATTR_KILL_SUIDGID);
    }
}

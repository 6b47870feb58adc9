package org.jvirtiofs.fs.memory;

import java.time.Duration;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.SetattrValid;

/**
 * One inode: the attributes every kind of node has, its xattrs, and the three things that keep
 * it alive: names (nlink), kernel references (the lookup count) and open handles.
 *
 * <p>All mutable state is guarded by the node's monitor: the methods here synchronize on it, and
 * steps that must happen together (write data, then update times) are one synchronized method of
 * the subclass. The node id doubles as the inode number the guest sees.
 */
abstract sealed class Node permits Directory, RegularFile, Symlink, SpecialFile {
    private static final int S_IXGRP = 00010;
    /** relatime: refresh an access time at least this often even if nothing was modified. */
    private static final long RELATIME_INTERVAL_SECONDS = 24 * 60 * 60;

    private final long id;
    private final Xattrs xattrs = new Xattrs();
    private int mode;
    private int uid;
    private int gid;
    private int nlink;
    // Kept in place rather than as Timestamp records: a WRITE changes mtime and ctime, and would
    // otherwise allocate a record per request.
    private final Time atime = new Time();
    private final Time mtime = new Time();
    private final Time ctime = new Time();
    private long lookups;
    private int opens;
    /** The last {@link #attr} and {@link #attrReply}. */
    private Attr snapshot;
    private AttrReply reply;

    Node(long id, int mode, int uid, int gid, int nlink, Timestamp now) {
        this.id = id;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.nlink = nlink;
        atime.set(now);
        mtime.set(now);
        ctime.set(now);
    }

    /** The node id, also the inode number. */
    final long id() {
        return id;
    }

    /**
     * A snapshot of the attributes, as GETATTR and every entry carry them. Snapshots are
     * immutable, so the last one is handed out again while nothing in it changed.
     */
    final synchronized Attr attr() {
        long size = size();
        long blocks = blocks();
        int rdev = rdev();
        Attr last = snapshot;
        if (last != null && last.size() == size && last.blocks() == blocks && last.rdev() == rdev
                && last.atimeSec() == atime.sec() && last.atimeNsec() == atime.nsec()
                && last.mtimeSec() == mtime.sec() && last.mtimeNsec() == mtime.nsec()
                && last.ctimeSec() == ctime.sec() && last.ctimeNsec() == ctime.nsec()
                && last.mode() == mode && last.nlink() == nlink && last.uid() == uid && last.gid() == gid) {
            return last;
        }
        snapshot = new Attr(id, size, blocks, atime.sec(), atime.nsec(), mtime.sec(), mtime.nsec(),
                ctime.sec(), ctime.nsec(), mode, nlink, uid, gid, rdev, FileData.CHUNK_SIZE, 0);
        return snapshot;
    }

    /** GETATTR's reply: {@link #attr} valid for {@code timeout}, the last one again while it holds. */
    final synchronized AttrReply attrReply(Duration timeout) {
        Attr attr = attr();
        AttrReply last = reply;
        if (last == null || last.attr() != attr || !last.timeout().equals(timeout)) {
            last = new AttrReply(attr, timeout);
            reply = last;
        }
        return last;
    }

    /** st_size; called with the monitor held. */
    abstract long size();

    /** st_blocks in 512-byte units; called with the monitor held. */
    long blocks() {
        return 0;
    }

    /** st_rdev; only devices have one. */
    int rdev() {
        return 0;
    }

    /** Changes the size: only regular files can (EISDIR for directories, else EINVAL). */
    void truncate(long newSize) throws FsException {
        throw FsException.of(Errno.EINVAL);
    }

    /** Frees what the node holds (file data) once it is dropped. */
    void releaseStorage() {
    }

    /** Whether user.* xattrs are allowed: Linux allows them on files and directories only. */
    boolean allowsUserXattrs() {
        return false;
    }

    final synchronized int mode() {
        return mode;
    }

    final synchronized int gid() {
        return gid;
    }

    final synchronized int nlink() {
        return nlink;
    }

    // ---- lifetime: names, lookups and handles

    /** One more name (link, rename exchange) or subdirectory. */
    final synchronized void incrementLinks() {
        nlink++;
    }

    /** One name or subdirectory fewer. */
    final synchronized void decrementLinks() {
        nlink--;
    }

    /** Sets the link count: 0 for a removed directory, 2 for an emptied root. */
    final synchronized void setLinks(int count) {
        nlink = count;
    }

    /** The kernel took one more reference. */
    final synchronized void addLookup() {
        lookups++;
    }

    /** The kernel dropped {@code count} references; true if nothing keeps the node any more. */
    final synchronized boolean forget(long count) {
        lookups = Math.max(0, lookups - count);
        return isUnreferenced();
    }

    /** A handle was opened on the node. */
    final synchronized void addOpen() {
        opens++;
    }

    /** A handle was closed; true if nothing keeps the node any more. */
    final synchronized boolean close() {
        opens--;
        return isUnreferenced();
    }

    /** No name, no kernel reference, no handle: the node can be dropped and never come back. */
    final synchronized boolean isUnreferenced() {
        return nlink == 0 && lookups == 0 && opens == 0;
    }

    // ---- times

    /**
     * A read or readdir: relatime, as Linux mounts by default. atime moves only if it is not
     * newer than mtime or ctime (so "read since last change?" still works, e.g. for mail
     * readers) or is a day old; a read-mostly workload thus rarely writes metadata.
     */
    final synchronized void touchAccessed(Timestamp now) {
        if (atimeDue(now.sec())) {
            atime.set(now);
        }
    }

    /**
     * As {@link #touchAccessed(Timestamp)}, at {@code clock}'s time, making no object; the usual
     * READ, where atime does not move, reads only the clock's milliseconds.
     */
    final synchronized void touchAccessed(FileClock clock) {
        if (atimeDue(Math.floorDiv(clock.millis(), 1000))) {
            atime.set(clock.nanos());
        }
    }

    private boolean atimeDue(long nowSec) {
        return atime.notAfter(mtime) || atime.notAfter(ctime)
                || nowSec - atime.sec() >= RELATIME_INTERVAL_SECONDS;
    }

    /** Contents changed (write, truncate, entries added or removed): mtime and ctime. */
    final synchronized void touchModified(Timestamp now) {
        mtime.set(now);
        ctime.set(now);
    }

    /** As {@link #touchModified(Timestamp)}, at {@code nowNanos} since the epoch. */
    final synchronized void touchModified(long nowNanos) {
        mtime.set(nowNanos);
        ctime.set(nowNanos);
    }

    /** Only the inode changed (chmod, chown, link, rename, xattrs): ctime. */
    final synchronized void touchChanged(Timestamp now) {
        ctime.set(now);
    }

    // ---- attributes

    /**
     * SETATTR: applies the fields {@code valid} names. What can fail (a bad time, a bad size)
     * runs before anything else changes, so a failed setattr changes nothing.
     */
    final synchronized void setattr(Attr attr, SetattrValid valid, Timestamp now)
            throws FsException {
        Timestamp newAtime = valid.hasAtime() ? timeOrNow(valid.hasAtimeNow(), attr.atimeSec(),
                attr.atimeNsec(), now) : atime.get();
        Timestamp newMtime = valid.hasMtime() ? timeOrNow(valid.hasMtimeNow(), attr.mtimeSec(),
                attr.mtimeNsec(), now) : mtime.get();
        Timestamp newCtime = valid.hasCtime() ? Timestamp.checked(attr.ctimeSec(),
                attr.ctimeNsec()) : now;
        if (valid.hasSize()) {
            truncate(attr.size());
            newMtime = valid.hasMtime() ? newMtime : now;
        }
        if (valid.hasMode()) {
            mode = FileMode.type(mode) | FileMode.permissions(attr.mode());
        }
        if (valid.hasUid()) {
            uid = attr.uid();
        }
        if (valid.hasGid()) {
            gid = attr.gid();
        }
        if (valid.hasKillSuidgid()) {
            mode = withoutSetIds(mode);
        }
        atime.set(newAtime);
        mtime.set(newMtime);
        ctime.set(newCtime);
    }

    // ---- extended attributes

    /** SETXATTR; EPERM for user.* on what is not a file or directory. */
    final synchronized void setXattr(String name, byte[] value, int flags, Timestamp now)
            throws FsException {
        if (name.startsWith("user.") && !allowsUserXattrs()) {
            throw FsException.of(Errno.EPERM);
        }
        xattrs.set(name, value, flags);
        ctime.set(now);
    }

    /** GETXATTR; ENODATA if not set. */
    final synchronized byte[] getXattr(String name) throws FsException {
        return xattrs.get(name);
    }

    /** LISTXATTR: the names, each followed by NUL. */
    final synchronized byte[] listXattrs() {
        return xattrs.list();
    }

    /** REMOVEXATTR; ENODATA if not set. */
    final synchronized void removeXattr(String name, Timestamp now) throws FsException {
        xattrs.remove(name);
        ctime.set(now);
    }

    /**
     * Clears set-user-id, and set-group-id if group execute is set (without it, set-group-id
     * marks mandatory locking and stays), as Linux does when an unprivileged user writes.
     */
    final synchronized void killSuidgid(Timestamp now) {
        int cleared = withoutSetIds(mode);
        if (cleared != mode) {
            mode = cleared;
            ctime.set(now);
        }
    }

    private static int withoutSetIds(int mode) {
        int cleared = mode & ~FileMode.S_ISUID;
        return (cleared & S_IXGRP) != 0 ? cleared & ~FileMode.S_ISGID : cleared;
    }

    private static Timestamp timeOrNow(boolean useNow, long sec, int nsec, Timestamp now)
            throws FsException {
        return useNow ? now : Timestamp.checked(sec, nsec);
    }

    /** One of a node's times, changed in place; guarded by the node's monitor. */
    private static final class Time {
        private long sec;
        private int nsec;

        void set(Timestamp t) {
            sec = t.sec();
            nsec = t.nsec();
        }

        void set(long epochNanos) {
            sec = Timestamp.epochSecond(epochNanos);
            nsec = Timestamp.nanoOfSecond(epochNanos);
        }

        Timestamp get() {
            return new Timestamp(sec, nsec);
        }

        long sec() {
            return sec;
        }

        int nsec() {
            return nsec;
        }

        /** Whether this time is not after {@code o}. */
        boolean notAfter(Time o) {
            return Timestamp.compare(sec, nsec, o.sec, o.nsec) <= 0;
        }
    }
}

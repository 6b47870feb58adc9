package org.jvirtiofs.posix;

/**
 * What a host file looked like when a guest was made to drop its cached pages of it: from then
 * on the guest's page cache holds only data read after that moment. While the file is still the
 * same one (device and inode) with the same size, mtime and ctime, nothing has written to it
 * since, so a later open may let the guest keep those pages (FOPEN_KEEP_CACHE) rather than read
 * them again. The ctime catches what the guest kernel's own check (size and mtime) misses: a
 * rewrite in place with the old mtime put back.
 *
 * <p>One case breaks that: a write in the same timestamp tick as the one the stamp saw, which
 * leaves the times as they were. A stamp therefore counts only if the file's last change was
 * {@link #SETTLE_NANOS} or more before the stamp was taken, longer than any local filesystem's
 * timestamp granularity (2 s on FAT); a file changed more recently is read afresh at its next
 * open, which takes a settled stamp. Git's index treats "racily clean" files the same way.
 *
 * @param settled the last change was long enough before the stamp for the stamp to count
 */
public record DataStamp(long dev, long ino, long size, long mtimeSec, int mtimeNsec,
        long ctimeSec, int ctimeNsec, boolean settled) {
    /** How long before the stamp a file's last change must be for the stamp to count. */
    public static final long SETTLE_NANOS = 2_000_000_000L;

    /** The stamp of {@code st}, taken at {@code nowMillis} (wall clock, as {@link System#currentTimeMillis()}). */
    public static DataStamp of(Stat st, long nowMillis) {
        long sinceChange = (nowMillis - st.ctimeSec() * 1000L) * 1_000_000L - st.ctimeNsec();
        return new DataStamp(st.dev(), st.ino(), st.size(), st.mtimeSec(), st.mtimeNsec(),
                st.ctimeSec(), st.ctimeNsec(), sinceChange >= SETTLE_NANOS);
    }

    /**
     * Whether the guest's pages read since this stamp (taken when it last dropped them) still
     * hold the data of the file as {@code now} finds it.
     */
    public boolean stillValidFor(DataStamp now) {
        return settled && dev == now.dev && ino == now.ino && size == now.size
                && mtimeSec == now.mtimeSec && mtimeNsec == now.mtimeNsec
                && ctimeSec == now.ctimeSec && ctimeNsec == now.ctimeNsec;
    }
}

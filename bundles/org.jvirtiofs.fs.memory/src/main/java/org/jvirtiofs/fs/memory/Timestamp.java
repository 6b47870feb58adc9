package org.jvirtiofs.fs.memory;

import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * A point in time as stat(2) keeps it: seconds since the epoch and nanoseconds.
 *
 * @param sec seconds since the epoch
 * @param nsec nanoseconds, 0..999,999,999
 */
record Timestamp(long sec, int nsec) implements Comparable<Timestamp> {
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** The timestamp {@code nanos} nanoseconds after the epoch. */
    static Timestamp ofEpochNanos(long nanos) {
        return new Timestamp(epochSecond(nanos), nanoOfSecond(nanos));
    }

    /** The seconds part of {@code nanos} nanoseconds after the epoch. */
    static long epochSecond(long nanos) {
        return Math.floorDiv(nanos, NANOS_PER_SECOND);
    }

    /** The nanoseconds part of {@code nanos} nanoseconds after the epoch, 0..999,999,999. */
    static int nanoOfSecond(long nanos) {
        return (int) Math.floorMod(nanos, NANOS_PER_SECOND);
    }

    /** A timestamp the guest sent (utimensat); EINVAL if the nanoseconds are out of range. */
    static Timestamp checked(long sec, int nsec) throws FsException {
        if (nsec < 0 || nsec >= NANOS_PER_SECOND) {
            throw FsException.of(Errno.EINVAL);
        }
        return new Timestamp(sec, nsec);
    }

    @Override
    public int compareTo(Timestamp o) {
        return compare(sec, nsec, o.sec, o.nsec);
    }

    /** Orders two times given as seconds and nanoseconds. */
    static int compare(long sec, int nsec, long otherSec, int otherNsec) {
        int bySeconds = Long.compare(sec, otherSec);
        return bySeconds != 0 ? bySeconds : Integer.compare(nsec, otherNsec);
    }
}

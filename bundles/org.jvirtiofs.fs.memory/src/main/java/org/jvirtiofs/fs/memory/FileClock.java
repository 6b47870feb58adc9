package org.jvirtiofs.fs.memory;

import java.time.Instant;
import java.time.InstantSource;

/**
 * The time files are stamped with, in nanoseconds since the epoch, read without allocating.
 *
 * <p>The system's clock gives nanoseconds only as an {@link Instant}, an object per reading, and
 * a WRITE stamps mtime and ctime. So the system clock is read as an Instant now and then, and
 * advanced by {@link System#nanoTime()} in between; whenever that strays more than
 * {@link #TOLERANCE_MILLIS} from {@link System#currentTimeMillis()} (the clock was set, or the
 * two clocks drifted apart) the Instant is taken again. Any other source (a test's clock) is
 * asked every time.
 */
final class FileClock {
    private static final long NANOS_PER_MILLI = 1_000_000L;
    /** How far the time given may be from the system clock's milliseconds. */
    static final long TOLERANCE_MILLIS = 2;

    private final InstantSource source;
    private final boolean system;
    /** The system clock's last reading and the nanoTime it was taken at. */
    private volatile Reading last;

    private record Reading(long epochNanos, long nanoTime) {
    }

    private FileClock(InstantSource source, boolean system) {
        this.source = source;
        this.system = system;
        if (system) {
            last = read();
        }
    }

    /** The system's clock. */
    static FileClock system() {
        return new FileClock(InstantSource.system(), true);
    }

    /** {@code source}, asked for every time. */
    static FileClock of(InstantSource source) {
        return new FileClock(source, false);
    }

    /** Now, in nanoseconds since the epoch. */
    long nanos() {
        if (!system) {
            return nanos(source.instant());
        }
        Reading r = last;
        long now = r.epochNanos + (System.nanoTime() - r.nanoTime);
        if (Math.abs(Math.floorDiv(now, NANOS_PER_MILLI) - System.currentTimeMillis()) > TOLERANCE_MILLIS) {
            r = read();
            last = r;
            now = r.epochNanos;
        }
        return now;
    }

    /** Now, in milliseconds since the epoch. */
    long millis() {
        return source.millis();
    }

    private Reading read() {
        return new Reading(nanos(source.instant()), System.nanoTime());
    }

    /** {@code t} in nanoseconds since the epoch, held at the ends of a long's range. */
    static long nanos(Instant t) {
        long sec = t.getEpochSecond();
        if (sec >= Long.MAX_VALUE / Timestamp.NANOS_PER_SECOND) {
            return Long.MAX_VALUE;
        }
        if (sec <= Long.MIN_VALUE / Timestamp.NANOS_PER_SECOND) {
            return Long.MIN_VALUE;
        }
        return sec * Timestamp.NANOS_PER_SECOND + t.getNano();
    }
}

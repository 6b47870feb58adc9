package org.jvirtiofs.fs.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The time files are stamped with: the system clock's, read without making objects. */
class FileClockTest {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    @Test
    void theSystemClockIsFollowedToWithinTheTolerance() throws Exception {
        FileClock clock = FileClock.system();
        for (int i = 0; i < 50; i++) {
            long before = System.currentTimeMillis();
            long millis = Math.floorDiv(clock.nanos(), NANOS_PER_MILLI);
            long after = System.currentTimeMillis();
            long tolerance = FileClock.TOLERANCE_MILLIS;
            assertTrue(millis >= before - tolerance && millis <= after + tolerance,
                    millis + " ms, the system clock read " + before + " and " + after);
            Thread.sleep(3);
        }
    }

    @Test
    void readingTheSystemClockMakesNoObjects() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FileClock clock = FileClock.system();
        long sum = 0;
        for (int i = 0; i < 10_000; i++) {
            sum += clock.nanos();
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
            sum += clock.nanos();
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // a reading taken again (the clocks drifted apart) is two small objects; 100,000 are none
        assertTrue(allocated < 1024, allocated + " bytes for 100,000 readings (" + sum + ")");
    }

    @Test
    void anotherSourceIsAskedEveryTime() {
        Instant[] now = {Instant.parse("2024-01-01T00:00:00.123456789Z")};
        FileClock clock = FileClock.of(() -> now[0]);
        assertEquals(1_704_067_200_123_456_789L, clock.nanos());
        now[0] = now[0].plusNanos(1);
        assertEquals(1_704_067_200_123_456_790L, clock.nanos());
    }

    @Test
    void timesBeyondALongOfNanosecondsAreHeldAtItsEnds() {
        assertEquals(Long.MAX_VALUE, FileClock.nanos(Instant.MAX));
        assertEquals(Long.MIN_VALUE, FileClock.nanos(Instant.MIN));
        assertEquals(-999_999_995L, FileClock.nanos(Instant.ofEpochSecond(-1, 5)));
        assertEquals(new Timestamp(-1, 5), Timestamp.ofEpochNanos(-999_999_995L));
    }
}

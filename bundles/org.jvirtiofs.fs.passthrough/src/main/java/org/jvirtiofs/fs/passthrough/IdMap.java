package org.jvirtiofs.fs.passthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Translation of user or group ids between guest and host: ranges mapped one to one, and an
 * optional squash id for every guest id no range covers. Host ids outside every range are shown
 * to the guest unchanged. Ids are unsigned 32-bit values held in ints.
 *
 * @param ranges ranges mapped one to one, searched in order
 * @param squash the host id for every unmapped guest id, or empty to keep unmapped ids as they are
 */
record IdMap(List<Range> ranges, OptionalInt squash) {
    /** No translation at all. */
    static final IdMap IDENTITY = new IdMap(List.of(), OptionalInt.empty());

    /** Guest ids {@code guest .. guest+count-1} are host ids {@code host .. host+count-1}. */
    record Range(long guest, long host, long count) {
    }

    IdMap {
        ranges = List.copyOf(ranges);
    }

    /** Whether every id maps to itself. */
    boolean isIdentity() {
        return ranges.isEmpty() && squash.isEmpty();
    }

    /** The host id a guest id stands for. */
    int toHost(int guestId) {
        long id = Integer.toUnsignedLong(guestId);
        for (Range r : ranges) {
            if (id >= r.guest && id < r.guest + r.count) {
                return (int) (r.host + id - r.guest);
            }
        }
        return squash.orElse(guestId);
    }

    /** The guest id a host id shows as. */
    int toGuest(int hostId) {
        long id = Integer.toUnsignedLong(hostId);
        for (Range r : ranges) {
            if (id >= r.host && id < r.host + r.count) {
                return (int) (r.guest + id - r.host);
            }
        }
        return hostId;
    }

    /**
     * Parses {@code guest:host:count[,guest:host:count...]} (may be null or blank) and a squash
     * id (may be null).
     *
     * @throws IllegalArgumentException naming {@code mapOption} or {@code squashOption}
     */
    static IdMap parse(String mapOption, Object map, String squashOption, Object squash) {
        List<Range> ranges = new ArrayList<>();
        if (map != null && !map.toString().isBlank()) {
            for (String part : map.toString().split(",")) {
                ranges.add(range(mapOption, map, part.trim()));
            }
        }
        OptionalInt squashed = squash == null || squash.toString().isBlank() ? OptionalInt.empty()
                : OptionalInt.of((int) id(squashOption, squash, squash.toString().trim()));
        return new IdMap(ranges, squashed);
    }

    private static Range range(String option, Object whole, String part) {
        String[] f = part.split(":");
        if (f.length != 3) {
            throw new IllegalArgumentException(option
                    + " must be guest:host:count ranges separated by commas; got '" + whole + "'");
        }
        long guest = id(option, whole, f[0]);
        long host = id(option, whole, f[1]);
        long count = id(option, whole, f[2]);
        if (count == 0 || guest + count > 0x1_0000_0000L || host + count > 0x1_0000_0000L) {
            throw new IllegalArgumentException(option
                    + " ranges must be non-empty and within 0..4294967295; got '" + whole + "'");
        }
        return new Range(guest, host, count);
    }

    private static long id(String option, Object whole, String text) {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0 && v <= 0xFFFF_FFFFL) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must hold ids from 0 to 4294967295; got '"
                + whole + "'");
    }
}

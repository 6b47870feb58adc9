package org.jvirtiofs.fs.passthrough;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * Translation of user or group ids between guest and host, as the Rust virtiofsd's
 * {@code --translate-uid}/{@code --translate-gid} do it: two independent lists, guest to host and
 * host to guest, of ranges mapped one to one, ranges squashed onto one id, and (guest to host
 * only) forbidden ranges. An id no entry covers maps to itself, or, guest to host, to the squash
 * id when there is one. Ids are unsigned 32-bit values held in ints.
 *
 * @param toHostEntries how guest ids become host ids; no two overlap
 * @param toGuestEntries how host ids show to the guest; no two overlap
 * @param squash the host id for every guest id no entry covers, or empty to keep it as it is
 */
record IdMap(List<Entry> toHostEntries, List<Entry> toGuestEntries, OptionalInt squash) {
    /** No translation at all. */
    static final IdMap IDENTITY = new IdMap(List.of(), List.of(), OptionalInt.empty());

    private static final long IDS = 0x1_0000_0000L;
    private static final String FORMS = "map, guest, host, squash-guest, squash-host or forbid-guest";

    /** What an entry does with the ids it covers. */
    enum Kind {
        /** One to one onto {@code to .. to+count-1}. */
        RANGE,
        /** All onto {@code to}. */
        SQUASH,
        /** Refused with EPERM. */
        FORBID
    }

    /** Source ids {@code from .. from+count-1}, translated as {@code kind} says. */
    record Entry(long from, long count, Kind kind, long to) {
        boolean covers(long id) {
            return id >= from && id < from + count;
        }

        boolean overlaps(Entry o) {
            return from < o.from + o.count && o.from < from + count;
        }
    }

    IdMap {
        toHostEntries = List.copyOf(toHostEntries);
        toGuestEntries = List.copyOf(toGuestEntries);
    }

    /** Whether every id maps to itself. */
    boolean isIdentity() {
        return toHostEntries.isEmpty() && toGuestEntries.isEmpty() && squash.isEmpty();
    }

    /**
     * The host id a guest id stands for.
     *
     * @throws FsException EPERM if the guest id is forbidden
     */
    int toHost(int guestId) throws FsException {
        long id = Integer.toUnsignedLong(guestId);
        for (Entry e : toHostEntries) {
            if (e.covers(id)) {
                if (e.kind == Kind.FORBID) {
                    throw FsException.of(Errno.EPERM, "guest id " + id + " is forbidden");
                }
                return translate(e, id);
            }
        }
        return squash.orElse(guestId);
    }

    /** The guest id a host id shows as. */
    int toGuest(int hostId) {
        long id = Integer.toUnsignedLong(hostId);
        for (Entry e : toGuestEntries) {
            if (e.covers(id)) {
                return translate(e, id);
            }
        }
        return hostId;
    }

    private static int translate(Entry e, long id) {
        return (int) (e.kind == Kind.SQUASH ? e.to : e.to + id - e.from);
    }

    /**
     * Parses the entries of {@code map} (may be null or blank), separated by commas: each is the
     * Rust virtiofsd's {@code map:GUEST:HOST:COUNT}, {@code guest:GUEST:HOST:COUNT},
     * {@code host:HOST:GUEST:COUNT}, {@code squash-guest:GUEST:HOST:COUNT},
     * {@code squash-host:HOST:GUEST:COUNT} or {@code forbid-guest:GUEST:COUNT} (any separator
     * but '-', '_' and ',' in place of ':'), or plain {@code GUEST:HOST:COUNT}, which is
     * {@code map}. {@code squash} (may be null) is the host id of every guest id left over.
     *
     * @throws IllegalArgumentException naming {@code mapOption} or {@code squashOption}
     */
    static IdMap parse(String mapOption, Object map, String squashOption, Object squash) {
        List<Entry> toHost = new ArrayList<>();
        List<Entry> toGuest = new ArrayList<>();
        if (map != null && !map.toString().isBlank()) {
            for (String part : map.toString().split(",")) {
                new EntryParser(mapOption, part.trim()).addTo(toHost, toGuest);
            }
        }
        OptionalInt squashed = squash == null || squash.toString().isBlank() ? OptionalInt.empty()
                : OptionalInt.of((int) id(squashOption, squash.toString(), squash.toString()));
        return new IdMap(toHost, toGuest, squashed);
    }

    /** One entry of a map option. */
    private record EntryParser(String option, String text) {
        void addTo(List<Entry> toHost, List<Entry> toGuest) {
            int end = 0;
            while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end))
                    || text.charAt(end) == '-' || text.charAt(end) == '_')) {
                end++;
            }
            String prefix = text.substring(0, end).toLowerCase(Locale.ROOT);
            if (!prefix.isEmpty() && prefix.chars().allMatch(Character::isDigit)) {
                add(toHost, Kind.RANGE, fields(text, ':', 3), 0, 1, 2); // GUEST:HOST:COUNT
                add(toGuest, Kind.RANGE, fields(text, ':', 3), 1, 0, 2);
                return;
            }
            if (end == text.length()) {
                throw wrong("needs a form (" + FORMS + ") and numbers");
            }
            String rest = text.substring(end + 1);
            char separator = text.charAt(end);
            switch (prefix) {
                case "map" -> {
                    add(toHost, Kind.RANGE, fields(rest, separator, 3), 0, 1, 2);
                    add(toGuest, Kind.RANGE, fields(rest, separator, 3), 1, 0, 2);
                }
                case "guest" -> add(toHost, Kind.RANGE, fields(rest, separator, 3), 0, 1, 2);
                case "host" -> add(toGuest, Kind.RANGE, fields(rest, separator, 3), 0, 1, 2);
                case "squash-guest" -> add(toHost, Kind.SQUASH, fields(rest, separator, 3), 0, 1, 2);
                case "squash-host" -> add(toGuest, Kind.SQUASH, fields(rest, separator, 3), 0, 1, 2);
                case "forbid-guest" -> add(toHost, Kind.FORBID, fields(rest, separator, 2), 0, -1, 1);
                default -> throw wrong("'" + prefix + "' is not one of " + FORMS);
            }
        }

        /** Adds the entry whose source, target and count are {@code f[from]}, {@code f[to]}, {@code f[count]}. */
        private void add(List<Entry> list, Kind kind, long[] f, int from, int to, int count) {
            Entry e = new Entry(f[from], f[count], kind, to < 0 ? 0 : f[to]);
            if (e.count == 0 || e.from + e.count > IDS
                    || (kind == Kind.RANGE && e.to + e.count > IDS)) {
                throw wrong("a range must be non-empty and within 0..4294967295");
            }
            for (Entry other : list) {
                if (other.overlaps(e)) {
                    throw wrong("overlaps an earlier entry of the same direction");
                }
            }
            list.add(e);
        }

        private long[] fields(String values, char separator, int arity) {
            String[] f = values.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
            if (f.length != arity) {
                throw wrong("needs " + arity + " numbers");
            }
            long[] v = new long[arity];
            for (int i = 0; i < arity; i++) {
                v[i] = id(option, text, f[i]);
            }
            return v;
        }

        private IllegalArgumentException wrong(String why) {
            return new IllegalArgumentException(option + " entry '" + text + "': " + why);
        }
    }

    private static long id(String option, String whole, String text) {
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

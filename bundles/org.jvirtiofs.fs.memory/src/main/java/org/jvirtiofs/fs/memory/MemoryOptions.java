package org.jvirtiofs.fs.memory;

import java.util.Locale;
import java.util.Map;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FilesystemFactory;

/**
 * The options of a memory share, named as tmpfs names its mount options.
 *
 * @param size the data limit in bytes, counted in 64 KiB chunks (rounded down)
 * @param inodes the most nodes that may exist, the root included
 * @param rootMode the root directory's permission bits
 * @param rootUid the root directory's owner
 * @param rootGid the root directory's group
 * @param cache how much the guest may cache
 */
public record MemoryOptions(long size, long inodes, int rootMode, int rootUid, int rootGid,
        CacheMode cache) {
    /** Option: the data limit in bytes; a k, m, g or t suffix multiplies by powers of 1024. */
    public static final String SIZE = "size";
    /** Option: the most nodes that may exist, the root included; suffixes as for size. */
    public static final String NR_INODES = "nr_inodes";
    /** Option: the root's permission bits, in octal. */
    public static final String MODE = "mode";
    /** Option: the root's owner. */
    public static final String UID = "uid";
    /** Option: the root's group. */
    public static final String GID = "gid";

    private static final long DEFAULT_SIZE = 1L << 30;
    private static final long DEFAULT_INODES = 1L << 20;
    private static final int DEFAULT_MODE = 0755;
    private static final long UNSIGNED_INT_MAX = 0xFFFF_FFFFL;

    /** Checks that the limits are positive and the mode holds only permission bits. */
    public MemoryOptions {
        if (size <= 0) {
            throw invalid(SIZE, size, "a positive byte count");
        }
        if (inodes <= 0) {
            throw invalid(NR_INODES, inodes, "a positive count");
        }
        if (rootMode != FileMode.permissions(rootMode)) {
            throw invalid(MODE, Integer.toOctalString(rootMode), "octal permission bits");
        }
    }

    /** 1 GiB, about a million inodes, root 0755 owned by 0:0, cache=always. */
    public static MemoryOptions defaults() {
        return new MemoryOptions(DEFAULT_SIZE, DEFAULT_INODES, DEFAULT_MODE, 0, 0,
                CacheMode.ALWAYS);
    }

    /**
     * The options a share was configured with. Values may be strings or their typed form
     * (Config Admin gives numbers as numbers); keys not listed here are ignored.
     *
     * @throws IllegalArgumentException naming the option and the value if one is malformed
     */
    public static MemoryOptions parse(Map<String, ?> options) {
        Object readonly = options.get(FilesystemFactory.OPTION_READONLY);
        if (readonly != null && Boolean.parseBoolean(readonly.toString().trim())) {
            throw invalid(FilesystemFactory.OPTION_READONLY, readonly,
                    "false: a memory filesystem starts empty, so a read-only one stays empty");
        }
        Object cache = options.get(FilesystemFactory.OPTION_CACHE);
        MemoryOptions d = defaults();
        return new MemoryOptions(
                byteCount(options, SIZE, d.size()),
                byteCount(options, NR_INODES, d.inodes()),
                (int) number(options, MODE, 8, 07777, d.rootMode()),
                (int) number(options, UID, 10, UNSIGNED_INT_MAX, d.rootUid()),
                (int) number(options, GID, 10, UNSIGNED_INT_MAX, d.rootGid()),
                cache == null ? d.cache() : CacheMode.parse(cache.toString()));
    }

    /** A positive count with an optional binary suffix: 512m, 2g, 1048576. */
    private static long byteCount(Map<String, ?> options, String key, long fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        int shift = switch (text.isEmpty() ? ' ' : text.charAt(text.length() - 1)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        try {
            long count = Long.parseLong(digits);
            if (count > 0 && count <= Long.MAX_VALUE >> shift) {
                return count << shift;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, "a positive count such as 1073741824, 512m or 2g");
    }

    /** A number from 0 to {@code max}, as a Number or a string in {@code radix}. */
    private static long number(Map<String, ?> options, String key, int radix, long max,
            long fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long n = value instanceof Number number ? number.longValue()
                    : Long.parseLong(value.toString().trim(), radix);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key, value, radix == 8 ? "octal permission bits such as 755 or 1777"
                : "a number from 0 to " + max);
    }

    private static IllegalArgumentException invalid(String key, Object value, String expected) {
        return new IllegalArgumentException(
                key + " must be " + expected + "; got '" + value + "'");
    }
}

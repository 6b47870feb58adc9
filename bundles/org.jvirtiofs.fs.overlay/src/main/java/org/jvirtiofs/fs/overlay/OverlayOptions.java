package org.jvirtiofs.fs.overlay;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.FilesystemFactory;

/**
 * The options of an overlay share.
 *
 * @param lowers the read-only layers, topmost first, as overlayfs's {@code lowerdir=A:B:C}
 * @param upper the writable layer, or null for a read-only overlay of the lowers
 * @param whiteout the format of whiteouts and opaque markers written into the upper
 * @param cache how much the guest may cache
 * @param readonly refuse every change with EROFS (always so without an upper)
 * @param xattr serve extended attributes; off, the guest gets EOPNOTSUPP
 * @param directWrite at cache=auto, open a file opened write-only, when the guest holds no other
 *     handle on it, with FOPEN_DIRECT_IO (as passthrough does: its writes skip the guest's page cache)
 * @param allowMmap accept DIRECT_IO_ALLOW_MMAP (Linux 6.6 and later): files opened with direct I/O
 *     (cache=never, metadata) may be mapped shared, as passthrough's option of that name
 */
public record OverlayOptions(List<Path> lowers, Path upper, WhiteoutFormat whiteout, CacheMode cache,
        boolean readonly, boolean xattr, boolean directWrite, boolean allowMmap) {
    /** Option: the lower directories, topmost first, separated by ':' (or a list). Required. */
    public static final String LOWER = "lower";
    /** Option: the upper directory; without it the overlay is read-only. */
    public static final String UPPER = "upper";
    /** Option: overlayfs (default) or oci. */
    public static final String WHITEOUT = "whiteout";
    /** Option: never, auto, metadata or always; default auto. */
    public static final String CACHE = FilesystemFactory.OPTION_CACHE;
    /** Option: true to share read-only; default false. */
    public static final String READONLY = FilesystemFactory.OPTION_READONLY;
    /** Option: false to refuse extended attributes; default true. */
    public static final String XATTR = "xattr";
    /** Option: true to let write-only opens skip the guest's page cache at cache=auto; default false. */
    public static final String DIRECT_WRITE = "direct-write";
    /** Option: true to let files opened with direct I/O be mapped shared (Linux 6.6 and later); default false. */
    public static final String ALLOW_MMAP = "allow-mmap";

    /** Checks that every layer is an absolute path and no layer holds another. */
    public OverlayOptions {
        lowers = List.copyOf(lowers);
        if (lowers.isEmpty()) {
            throw new IllegalArgumentException(LOWER + " is required: one or more directories, "
                    + "topmost first, separated by ':'");
        }
        List<Path> all = new ArrayList<>(lowers);
        if (upper != null) {
            all.add(upper);
        }
        for (Path p : all) {
            if (!p.isAbsolute()) {
                throw new IllegalArgumentException("layer directories must be absolute paths; got '" + p + "'");
            }
        }
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Path a = all.get(i);
                Path b = all.get(j);
                if (a.startsWith(b) || b.startsWith(a)) {
                    throw new IllegalArgumentException("layers must not overlap: " + a + " and " + b);
                }
            }
        }
        if (whiteout == null || cache == null) {
            throw new NullPointerException("whiteout and cache are required");
        }
        readonly = readonly || upper == null;
    }

    /**
     * The options a share was configured with; values may be strings or typed. Unknown keys are
     * ignored. Paths are made real (symlinks resolved), so overlapping layers are caught.
     *
     * @throws IllegalArgumentException naming the option and the value if one is missing,
     *     malformed, not an existing directory, or overlapping another layer
     */
    public static OverlayOptions parse(Map<String, ?> options) {
        List<Path> lowers = new ArrayList<>();
        Object lower = options.get(LOWER);
        if (lower instanceof Collection<?> c) {
            c.forEach(v -> lowers.add(directory(LOWER, v.toString())));
        } else if (lower instanceof String[] a) {
            for (String v : a) {
                lowers.add(directory(LOWER, v));
            }
        } else if (lower != null) {
            for (String v : lower.toString().split(":")) {
                if (!v.isBlank()) {
                    lowers.add(directory(LOWER, v));
                }
            }
        }
        Object upper = options.get(UPPER);
        Object whiteout = options.get(WHITEOUT);
        Object cache = options.get(CACHE);
        return new OverlayOptions(lowers,
                upper == null || upper.toString().isBlank() ? null : directory(UPPER, upper.toString()),
                whiteout == null ? WhiteoutFormat.OVERLAYFS : WhiteoutFormat.parse(whiteout.toString()),
                cache == null ? CacheMode.AUTO : CacheMode.parse(cache.toString()),
                bool(options, READONLY, false),
                bool(options, XATTR, true),
                bool(options, DIRECT_WRITE, false),
                bool(options, ALLOW_MMAP, false));
    }

    private static Path directory(String key, String value) {
        Path p = Path.of(value.trim());
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(key + " must be absolute directory paths; got '" + value + "'");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(key + ": " + p
                    + (Files.exists(p) ? " is not a directory" : " does not exist"));
        }
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(key + ": " + p + ": " + e.getMessage());
        }
    }

    private static boolean bool(Map<String, ?> options, String key, boolean fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false; got '" + value + "'");
        };
    }
}

package org.jvirtiofs.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The values of one configuration, read as the type a key needs. Config Admin gives typed values
 * (Integer, Boolean, String[]); a FileInstall {@code .cfg} file gives strings: both read the same.
 * A blank value counts as absent. Every error is an {@link IllegalArgumentException} whose message
 * is one line naming the key, the value and what was expected.
 */
public final class ConfigValues {
    private final Map<String, ?> config;

    /** The values of {@code config}. */
    public ConfigValues(Map<String, ?> config) {
        this.config = config;
    }

    /** The value of {@code key} as trimmed text, or {@code fallback} when absent or blank. */
    public String string(String key, String fallback) {
        Object v = config.get(key);
        if (v == null) {
            return fallback;
        }
        String s = v.toString().trim();
        return s.isEmpty() ? fallback : s;
    }

    /** A whole number from {@code min} to {@code max}, or {@code fallback} when absent. */
    public int integer(String key, int fallback, int min, int max) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            int n = v instanceof Number num ? num.intValue() : Integer.parseInt(v.toString().trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + v + "' is not a number from " + min + " to " + max);
        }
    }

    /** true, yes, on or 1; false, no, off or 0; {@code fallback} when absent. */
    public boolean bool(String key, boolean fallback) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException(key + ": '" + v + "' is not true or false");
        };
    }

    /** An absolute path (a configuration has no current directory), or null when absent. */
    public String absolutePath(String key) {
        String s = string(key, null);
        if (s != null && !s.startsWith("/")) {
            throw new IllegalArgumentException(key + ": '" + s + "' is not an absolute path");
        }
        return s;
    }

    /** A list: a String[] or collection, each item split at commas too, or one comma-separated string. */
    public List<String> list(String key) {
        Object v = config.get(key);
        List<String> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        Collection<?> items = v instanceof Object[] a ? List.of(a) : v instanceof Collection<?> c ? c : List.of(v);
        for (Object item : items) {
            for (String s : item.toString().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}

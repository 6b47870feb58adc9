package org.jvirtiofs.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.share.ShareManager;

/**
 * The words a share command was given, once Gogo has taken the options it knows: positional
 * arguments, and every {@code -o key=value} (Gogo binds only an option's first occurrence, so
 * the repeats arrive here as plain words). Errors are {@link IllegalArgumentException}s whose
 * message is the line to print.
 *
 * @param positional the words that are not options, in order
 * @param options the {@code -o} pairs, in order; a repeated key keeps its last value
 */
record ShareArguments(List<String> positional, Map<String, Object> options) {
    /** The DIR that stands for "no directory", for providers that serve none (memory). */
    static final String NO_DIR = "-";
    /** Configuration keys of the options share:add has its own flags for. */
    static final String CACHE = FilesystemFactory.OPTION_CACHE;
    static final String READONLY = FilesystemFactory.OPTION_READONLY;
    static final String UID_MAP = "uid-map";
    static final String GID_MAP = "gid-map";
    /** The overlay provider's layer options. */
    static final String LOWER = "lower";
    static final String UPPER = "upper";

    /** Keeps immutable copies. */
    ShareArguments {
        positional = List.copyOf(positional);
        options = Map.copyOf(options);
    }

    /**
     * Sorts {@code words} into positional arguments and options.
     *
     * @param firstOption the value of the {@code -o} Gogo bound, or "" if none
     * @throws IllegalArgumentException for a malformed pair, an {@code -o} without a value, or
     *     an unknown option
     */
    static ShareArguments parse(String firstOption, List<String> words) {
        List<String> positional = new ArrayList<>();
        Map<String, Object> options = new LinkedHashMap<>();
        if (!firstOption.isEmpty()) {
            pair(firstOption, options);
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-o") || w.equals("--option")) {
                if (i + 1 == words.size()) {
                    throw new IllegalArgumentException(w + " needs a key=value");
                }
                pair(words.get(++i), options);
            } else if (w.startsWith("-") && !w.equals(NO_DIR)) {
                throw new IllegalArgumentException("unknown option " + w);
            } else {
                positional.add(w);
            }
        }
        return new ShareArguments(positional, options);
    }

    /**
     * The configuration of a new share from share:add's flags and words (NAME [DIR]). Relative
     * paths are taken from {@code cwd}, the shell's current directory. Flags override the same
     * key given with {@code -o}.
     */
    Map<String, Object> addConfiguration(AddFlags flags, Path cwd) {
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("missing NAME (usage: share:add NAME [DIR] [options])");
        }
        if (positional.size() > 2) {
            throw new IllegalArgumentException("unexpected argument " + positional.get(2));
        }
        Map<String, Object> config = new LinkedHashMap<>(options);
        if (positional.size() == 2 && !positional.get(1).equals(NO_DIR)) {
            config.put(FilesystemFactory.OPTION_SOURCE, absolute(cwd, positional.get(1)));
        }
        putIfGiven(config, ShareManager.PROVIDER, flags.provider());
        if (!flags.socket().isEmpty()) {
            config.put(ShareManager.SOCKET, absolute(cwd, flags.socket()));
        }
        if (!flags.mountpoint().isEmpty()) {
            config.put(ShareManager.MOUNTPOINT, absolute(cwd, flags.mountpoint()));
        }
        if (flags.readonly()) {
            config.put(READONLY, Boolean.TRUE);
        }
        putIfGiven(config, CACHE, flags.cache());
        putIfGiven(config, UID_MAP, flags.uidMap());
        putIfGiven(config, GID_MAP, flags.gidMap());
        if (!flags.lower().isEmpty()) {
            List<String> layers = new ArrayList<>();
            for (String layer : flags.lower().split(":")) {
                if (layer.isBlank()) {
                    throw new IllegalArgumentException("--lower: an empty layer in '" + flags.lower() + "'");
                }
                layers.add(absolute(cwd, layer));
            }
            config.put(LOWER, String.join(":", layers));
        }
        if (!flags.upper().isEmpty()) {
            config.put(UPPER, absolute(cwd, flags.upper()));
        }
        if (!flags.threads().isEmpty()) {
            config.put(ShareManager.THREADS, count("--threads", flags.threads()));
        }
        return config;
    }

    /** The share's name: the first positional word. */
    String name() {
        if (positional.isEmpty()) {
            throw new IllegalArgumentException("missing NAME");
        }
        return positional.get(0);
    }

    /** A non-negative whole number given for {@code flag}. */
    static int count(String flag, String value) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number >= 0");
    }

    /** A positive number of seconds (fractions allowed) given for {@code flag}, in milliseconds. */
    static long millis(String flag, String value) {
        try {
            double seconds = Double.parseDouble(value.trim());
            if (seconds > 0 && seconds <= 86_400) {
                return Math.max(1, Math.round(seconds * 1000));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": '" + value + "' is not a number of seconds > 0");
    }

    private static void pair(String kv, Map<String, Object> options) {
        int eq = kv.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("bad option '" + kv + "': expected key=value");
        }
        options.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
    }

    private static void putIfGiven(Map<String, Object> config, String key, String value) {
        if (!value.isEmpty()) {
            config.put(key, value);
        }
    }

    private static String absolute(Path cwd, String path) {
        return cwd.resolve(path).toAbsolutePath().normalize().toString();
    }

    /**
     * The flags of share:add as Gogo bound them; "" (false) for a flag not given.
     *
     * @param provider --provider
     * @param socket --socket
     * @param mountpoint --mountpoint
     * @param readonly --readonly
     * @param cache --cache
     * @param uidMap --uid-map
     * @param gidMap --gid-map
     * @param threads --threads
     * @param lower --lower, the overlay's lower directories (A:B:C, topmost first)
     * @param upper --upper, the overlay's upper directory
     */
    record AddFlags(String provider, String socket, String mountpoint, boolean readonly, String cache,
            String uidMap, String gidMap, String threads, String lower, String upper) {
        /** The flags of the commands that have no overlay layers. */
        AddFlags(String provider, String socket, String mountpoint, boolean readonly, String cache,
                String uidMap, String gidMap, String threads) {
            this(provider, socket, mountpoint, readonly, cache, uidMap, gidMap, threads, "", "");
        }
    }
}

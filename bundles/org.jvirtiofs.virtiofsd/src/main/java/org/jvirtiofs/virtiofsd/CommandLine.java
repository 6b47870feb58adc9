package org.jvirtiofs.virtiofsd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses virtiofsd's command line: the Rust daemon's long options (both {@code --opt=value}
 * and {@code --opt value}) and the C daemon's {@code -o key[=value],...} compatibility forms,
 * so QEMU, libvirt, Kata and Lima can start jvirtiofsd in its place.
 */
public final class CommandLine {
    /** What the command line asks the process to do. */
    public sealed interface Action permits Run, Help, Version, PrintCapabilities, Invalid {
    }

    /** Serve a share with these options. */
    public record Run(DaemonOptions options) implements Action {
    }

    /** Print the usage text. */
    public record Help() implements Action {
    }

    /** Print the version. */
    public record Version() implements Action {
    }

    /** Print the vhost-user backend capabilities JSON (libvirt asks for it). */
    public record PrintCapabilities() implements Action {
    }

    /** The command line is wrong: {@code message} says how, in one line. */
    public record Invalid(String message) implements Action {
    }

    private static final Set<String> CACHE_MODES = Set.of("never", "none", "auto", "metadata", "always");
    private static final Set<String> HANDLE_MODES = Set.of("never", "prefer", "mandatory");
    private static final Set<String> LOG_LEVELS = Set.of("error", "warn", "info", "debug", "trace", "off");
    /** Options that take a value. */
    private static final Set<String> VALUED = Set.of("--socket-path", "--fd", "--shared-dir", "--cache",
            "--thread-pool-size", "--xattrmap", "--translate-uid", "--translate-gid", "--inode-file-handles",
            "--log-level", "--sandbox", "--seccomp", "--modcaps", "--rlimit-nofile", "--socket-group", "--provider",
            "--warm-up");
    /** The Rust virtiofsd's uid/gid translation forms and how many ids each takes. */
    private static final Map<String, Integer> TRANSLATIONS = Map.of("map", 3, "guest", 3, "host", 3,
            "squash-guest", 3, "squash-host", 3, "forbid-guest", 2);
    private static final String NO_CAPABILITY_CHANGES = ": the process's capabilities stay as they are";
    private static final String NO_DIRECT_IO = ": the guest's O_DIRECT is not passed to the host"
            + " (requests' buffers are not aligned as the host's direct I/O needs)";
    private static final Set<String> XATTR_TYPES = Set.of("prefix", "ok", "bad", "unsupported");
    private static final Set<String> XATTR_SCOPES = Set.of("client", "server", "all");
    /** Flags accepted for compatibility that change nothing here. */
    private static final Set<String> IGNORED_FLAGS = Set.of("-f", "--syslog", "--no-killpriv-v2", "--killpriv-v2",
            "--allow-direct-io", "--security-label", "--preserve-noatime");
    /** Of those flags, the ones that ask for something a user would count on: what is not done. */
    private static final Map<String, String> FLAGS_NOT_DONE = Map.of(
            "--syslog", ": the log goes to standard error, not to syslog",
            "--allow-direct-io", NO_DIRECT_IO,
            "--security-label", ": security labels (SELinux) are not served");

    private String socketPath;
    private int fd = -1;
    private String sharedDir;
    private String cache = "auto";
    private int threadPoolSize;
    private boolean readonly;
    private boolean xattr;
    private String translateUid;
    private String translateGid;
    private String xattrmap;
    private String inodeFileHandles = "never";
    private long rlimitNofile = -1;
    private String socketGroup;
    private final List<String> notEnforced = new ArrayList<>();
    private boolean announceSubmounts;
    private boolean writeback;
    private String logLevel = "info";
    private String provider = "passthrough";
    private int warmUpSeconds = DaemonOptions.DEFAULT_WARM_UP_SECONDS;
    // Host locks unless -o no_posix_lock / no_flock (virtiofsd's defaults are the other way): a
    // database the host and the guest share stays whole by default
    private boolean posixLock = true;
    private boolean flock = true;
    private boolean zeroMessageOpen = true;
    private boolean directWrite;
    private boolean allowMmap;
    private boolean readdirplus = true;

    private CommandLine() {
    }

    /** Parses {@code args}; never throws. Help, version and capabilities win wherever they stand. */
    public static Action parse(List<String> args) {
        for (String arg : args) {
            switch (arg) {
                case "-h", "--help" -> {
                    return new Help();
                }
                case "-V", "--version" -> {
                    return new Version();
                }
                case "--print-capabilities" -> {
                    return new PrintCapabilities();
                }
                default -> {
                    // an option to parse below
                }
            }
        }
        try {
            return new CommandLine().parseAll(new ArrayDeque<>(args));
        } catch (IllegalArgumentException e) {
            return new Invalid(e.getMessage());
        }
    }

    private Action parseAll(Deque<String> args) {
        while (!args.isEmpty()) {
            String arg = args.poll();
            String name = arg.contains("=") && arg.startsWith("--") ? arg.substring(0, arg.indexOf('=')) : arg;
            String inline = name.equals(arg) ? null : arg.substring(arg.indexOf('=') + 1);
            option(name, inline, args);
        }
        return new Run(validated());
    }

    private void option(String name, String inline, Deque<String> args) {
        if (IGNORED_FLAGS.contains(name)) {
            String notDone = FLAGS_NOT_DONE.get(name);
            if (notDone != null) {
                notEnforced.add(name + notDone);
            }
            return;
        }
        switch (name) {
            case "--readonly" -> readonly = true;
            case "--xattr" -> xattr = true;
            case "--announce-submounts" -> announceSubmounts = true;
            case "--writeback" -> writeback = true;
            case "--allow-mmap" -> allowMmap = true;
            case "--no-readdirplus" -> readdirplus = false;
            case "-d" -> logLevel = "debug";
            case "-o" -> compat(value(name, inline, args));
            default -> {
                if (!VALUED.contains(name)) {
                    throw new IllegalArgumentException("unknown option " + name + " (see --help)");
                }
                valued(name, value(name, inline, args));
            }
        }
    }

    private void valued(String name, String value) {
        switch (name) {
            case "--socket-path" -> socketPath = value;
            case "--fd" -> fd = number(name, value, 0, Integer.MAX_VALUE);
            case "--shared-dir" -> sharedDir = value;
            case "--cache" -> cache = oneOf(name, value, CACHE_MODES);
            case "--thread-pool-size" -> threadPoolSize = number(name, value, 0, 1024);
            case "--xattrmap" -> xattrmap = xattrmap(name, value);
            case "--translate-uid" -> translateUid = translation(name, value, translateUid);
            case "--translate-gid" -> translateGid = translation(name, value, translateGid);
            case "--inode-file-handles" -> inodeFileHandles = oneOf(name, value, HANDLE_MODES);
            case "--log-level" -> logLevel = oneOf(name, value, LOG_LEVELS);
            case "--provider" -> provider = required(name, value);
            case "--warm-up" -> warmUpSeconds = number(name, value, 0, 3600);
            case "--sandbox" -> sandbox(value);
            case "--rlimit-nofile" -> rlimitNofile = number(name, value, 0, Integer.MAX_VALUE);
            case "--socket-group" -> socketGroup = required(name, value);
            case "--seccomp" -> {
                if (!value.equals("none")) {
                    notEnforced.add("--seccomp=" + value + ": there is no seccomp filter; shares are confined by"
                            + " openat2 RESOLVE_BENEATH");
                }
            }
            case "--modcaps" -> notEnforced.add("--modcaps=" + value + NO_CAPABILITY_CHANGES);
            default -> throw new IllegalArgumentException("unknown option " + name + " (see --help)");
        }
    }

    /** The C daemon's {@code -o source=DIR,cache=auto,xattr,...}. */
    private void compat(String list) {
        for (String item : list.split(",")) {
            String key = item.contains("=") ? item.substring(0, item.indexOf('=')) : item;
            String value = item.contains("=") ? item.substring(item.indexOf('=') + 1) : null;
            switch (key) {
                case "source" -> sharedDir = required("-o source", value);
                case "cache" -> cache = oneOf("-o cache", required("-o cache", value), CACHE_MODES);
                case "xattr" -> xattr = true;
                case "no_xattr" -> xattr = false;
                case "writeback" -> writeback = true;
                case "no_writeback" -> writeback = false;
                case "announce_submounts" -> announceSubmounts = true;
                case "xattrmap" -> xattrmap = xattrmap("-o xattrmap", required("-o xattrmap", value));
                case "sandbox" -> sandbox(required("-o sandbox", value));
                case "log_level" -> logLevel = oneOf("-o log_level", required("-o log_level", value), LOG_LEVELS);
                case "posix_lock" -> posixLock = true;
                case "no_posix_lock" -> posixLock = false;
                case "flock" -> flock = true;
                case "no_flock" -> flock = false;
                case "zero_message_open" -> zeroMessageOpen = true;
                case "no_zero_message_open" -> zeroMessageOpen = false;
                case "modcaps" -> notEnforced.add("-o " + item + NO_CAPABILITY_CHANGES);
                case "allow_direct_io" -> notEnforced.add("-o " + item + NO_DIRECT_IO);
                case "direct_write" -> directWrite = true;
                case "no_direct_write" -> directWrite = false;
                case "readdirplus" -> readdirplus = true;
                case "no_readdirplus" -> readdirplus = false;
                case "timeout" -> notEnforced.add("-o " + item + ": the cache timeouts follow --cache"
                        + " (never: 0, auto: 1 s, metadata and always: a day)");
                case "killpriv_v2", "no_killpriv_v2", "no_allow_direct_io",
                        "max_idle_threads" -> {
                    // accepted for compatibility; they change nothing here
                }
                default -> throw new IllegalArgumentException("unknown -o option " + key + " (see --help)");
            }
        }
    }

    /**
     * One of the Rust virtiofsd's forms ({@code map:GUEST:HOST:COUNT}, {@code guest:},
     * {@code host:}, {@code squash-guest:}, {@code squash-host:} with three ids,
     * {@code forbid-guest:GUEST:COUNT}), any separator but '-' and '_' standing for ':'. Repeated
     * options add entries; the provider gets them comma separated with ':' separators, and checks
     * that no two entries of one direction overlap.
     */
    private static String translation(String name, String value, String earlier) {
        int end = 0;
        while (end < value.length() && (Character.isLetterOrDigit(value.charAt(end))
                || value.charAt(end) == '-' || value.charAt(end) == '_')) {
            end++;
        }
        String form = value.substring(0, end).toLowerCase(Locale.ROOT);
        Integer arity = TRANSLATIONS.get(form);
        if (arity == null) {
            throw new IllegalArgumentException(name + " must be map:, guest:, host:, squash-guest:, squash-host:"
                    + " or forbid-guest: followed by ids, not '" + value + "'");
        }
        String[] ids = end == value.length() ? new String[0]
                : value.substring(end + 1).split(Pattern.quote(value.substring(end, end + 1)), -1);
        if (ids.length != arity || !List.of(ids).stream().allMatch(CommandLine::isId)) {
            throw new IllegalArgumentException(name + " " + form + " takes " + arity
                    + " ids from 0 to 4294967295, not '" + value + "'");
        }
        String entry = form + ":" + String.join(":", ids);
        return earlier == null ? entry : earlier + "," + entry;
    }

    private static boolean isId(String text) {
        return text.matches("\\d{1,10}") && Long.parseLong(text) <= 0xFFFF_FFFFL;
    }

    /**
     * Checks virtiofsd's xattrmap syntax here, so a wrong map is a command line error: rules
     * {@code :type:scope:key:prepend:} or a final {@code :map:key:prepend:}, each delimited by
     * its own first character. The provider applies them.
     */
    private static String xattrmap(String name, String value) {
        String s = value.strip();
        int rule = 0;
        for (int i = 0; i < s.length(); ) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
                continue;
            }
            String where = name + " rule " + ++rule + ": ";
            List<String> fields = new ArrayList<>();
            char delimiter = s.charAt(i++);
            while (fields.size() < (fields.size() > 0 && fields.get(0).equals("map") ? 3 : 4)) {
                int close = s.indexOf(delimiter, i);
                if (close < 0) {
                    throw new IllegalArgumentException(where + "ends before its closing '" + delimiter + "'");
                }
                fields.add(s.substring(i, close));
                i = close + 1;
            }
            String type = fields.get(0);
            if (type.equals("map") && !s.substring(i).isBlank()) {
                throw new IllegalArgumentException(name + " rule " + (rule + 1) + ": nothing may follow a map rule");
            } else if (!type.equals("map") && !XATTR_TYPES.contains(type)) {
                throw new IllegalArgumentException(where + "type '" + type
                        + "' is not one of prefix, ok, bad, unsupported, map");
            } else if (!type.equals("map") && !XATTR_SCOPES.contains(fields.get(1))) {
                throw new IllegalArgumentException(where + "scope '" + fields.get(1)
                        + "' is not one of client, server, all");
            }
        }
        if (rule == 0) {
            throw new IllegalArgumentException(name + " needs at least one rule");
        }
        return s;
    }

    private static void sandbox(String value) {
        if (!value.equals("none")) {
            throw new IllegalArgumentException("--sandbox " + value
                    + " is not implemented yet: use --sandbox=none (shares are confined by openat2 RESOLVE_BENEATH)");
        }
    }

    private DaemonOptions validated() {
        if (sharedDir == null && provider.equals("passthrough")) {
            throw new IllegalArgumentException("no directory to share: give --shared-dir=DIR (or -o source=DIR)");
        }
        if ((socketPath == null) == (fd < 0)) {
            throw new IllegalArgumentException("give exactly one of --socket-path=PATH and --fd=FD");
        }
        if (socketGroup != null && socketPath == null) {
            throw new IllegalArgumentException("--socket-group is for --socket-path: an inherited socket (--fd) is"
                    + " set up by whoever made it");
        }
        String mode = cache.equals("none") ? "never" : cache;
        // as in virtiofsd, a map implies --xattr
        return new DaemonOptions(socketPath, fd, sharedDir, mode, threadPoolSize, readonly, xattr || xattrmap != null,
                translateUid, translateGid, xattrmap, inodeFileHandles, announceSubmounts, writeback, logLevel,
                provider, warmUpSeconds, posixLock, flock, zeroMessageOpen, directWrite, allowMmap, readdirplus,
                rlimitNofile,
                socketGroup, List.copyOf(notEnforced));
    }

    private static String value(String name, String inline, Deque<String> args) {
        if (inline != null) {
            return inline;
        }
        String next = args.poll();
        if (next == null) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return next;
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        return value;
    }

    private static String oneOf(String name, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(name + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ", not '" + value + "'");
        }
        return value;
    }

    private static int number(String name, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(name + " must be a number from " + min + " to " + max + ", not '" + value + "'");
    }
}

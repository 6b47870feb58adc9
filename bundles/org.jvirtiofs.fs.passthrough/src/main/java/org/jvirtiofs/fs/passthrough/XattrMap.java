package org.jvirtiofs.fs.passthrough;

import java.util.ArrayList;
import java.util.List;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;

/**
 * Extended attribute name mapping in virtiofsd's xattrmap syntax (QEMU's C daemon and the Rust
 * one share it): rules {@code :type:scope:key:prepend:}, each with its own delimiter (the first
 * character), separated by optional whitespace. Types: {@code prefix} (the guest name gets
 * {@code prepend} in front; a host name starting with {@code prepend} loses it), {@code ok}
 * (unchanged), {@code bad} (the guest gets EPERM; the host name is hidden), {@code unsupported}
 * (EOPNOTSUPP; hidden). Scopes: {@code client} rules match guest names starting with {@code key},
 * {@code server} rules host names starting with {@code prepend}, {@code all} both. The first
 * matching rule wins.
 *
 * <p>{@code :map:key:prepend:} must be the last rule and stands for QEMU's expansion: prefix
 * everything matching {@code key} with {@code prepend}; with an empty key, hide every host name
 * not so prefixed; otherwise hide host names that match {@code key} unprefixed, refuse guest names
 * that already carry {@code prepend}, and pass everything else. A guest name no rule matches is
 * EINVAL and a host name no rule matches is hidden: an unterminated map fails closed.
 */
final class XattrMap {
    /** No mapping: every name passes unchanged. */
    static final XattrMap NONE = new XattrMap(List.of(new Rule(Type.OK, true, true, "", "")));

    /** What a matching rule does. */
    enum Type { PREFIX, OK, BAD, UNSUPPORTED }

    /** One rule; {@code client} and {@code server} say which names it matches. */
    record Rule(Type type, boolean client, boolean server, String key, String prepend) {
    }

    private final List<Rule> rules;

    private XattrMap(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules, {@code map} expanded, in the order they are tried. */
    List<Rule> rules() {
        return rules;
    }

    /**
     * Parses {@code text} (null or blank: no mapping).
     *
     * @throws IllegalArgumentException naming {@code option} and the rule that is wrong
     */
    static XattrMap parse(String option, Object text) {
        if (text == null || text.toString().isBlank()) {
            return NONE;
        }
        String s = text.toString().strip();
        List<Rule> rules = new ArrayList<>();
        int number = 0;
        boolean mapped = false;
        for (int i = 0; i < s.length(); ) {
            if (Character.isWhitespace(s.charAt(i))) {
                i++;
                continue;
            }
            number++;
            if (mapped) {
                throw wrong(option, number, "nothing may follow a map rule");
            }
            char delimiter = s.charAt(i);
            List<String> fields = new ArrayList<>();
            int start = i + 1;
            for (int arity = 4; fields.size() < arity; ) {
                int end = s.indexOf(delimiter, start);
                if (end < 0) {
                    throw wrong(option, number, "ends before its closing '" + delimiter + "'");
                }
                fields.add(s.substring(start, end));
                start = end + 1;
                if (fields.size() == 1 && fields.get(0).equals("map")) {
                    arity = 3; // map:key:prepend has no scope
                }
            }
            i = start;
            if (fields.get(0).equals("map")) {
                mapped = true;
                expandMap(rules, fields.get(1), fields.get(2));
            } else {
                rules.add(rule(option, number, fields));
            }
        }
        return new XattrMap(rules);
    }

    private static Rule rule(String option, int number, List<String> f) {
        Type type = switch (f.get(0)) {
            case "prefix" -> Type.PREFIX;
            case "ok" -> Type.OK;
            case "bad" -> Type.BAD;
            case "unsupported" -> Type.UNSUPPORTED;
            default -> throw wrong(option, number,
                    "type '" + f.get(0) + "' is not one of prefix, ok, bad, unsupported, map");
        };
        return switch (f.get(1)) {
            case "client" -> new Rule(type, true, false, f.get(2), f.get(3));
            case "server" -> new Rule(type, false, true, f.get(2), f.get(3));
            case "all" -> new Rule(type, true, true, f.get(2), f.get(3));
            default -> throw wrong(option, number,
                    "scope '" + f.get(1) + "' is not one of client, server, all");
        };
    }

    private static void expandMap(List<Rule> rules, String key, String prepend) {
        rules.add(new Rule(Type.PREFIX, true, true, key, prepend));
        if (key.isEmpty()) {
            rules.add(new Rule(Type.BAD, true, true, "", ""));
        } else {
            rules.add(new Rule(Type.BAD, false, true, "", key));
            rules.add(new Rule(Type.BAD, true, false, prepend, ""));
            rules.add(new Rule(Type.OK, true, true, "", ""));
        }
    }

    private static IllegalArgumentException wrong(String option, int number, String why) {
        return new IllegalArgumentException(option + " rule " + number + ": " + why);
    }

    /**
     * The host name for the guest's {@code name} in get/set/removexattr.
     *
     * @throws FsException EPERM (bad), EOPNOTSUPP (unsupported) or EINVAL (no rule matches)
     */
    String toHost(String name) throws FsException {
        for (Rule r : rules) {
            if (r.client && name.startsWith(r.key)) {
                return switch (r.type) {
                    case OK -> name;
                    case PREFIX -> r.prepend + name;
                    case BAD -> throw FsException.of(Errno.EPERM);
                    case UNSUPPORTED -> throw FsException.of(Errno.EOPNOTSUPP);
                };
            }
        }
        throw FsException.of(Errno.EINVAL);
    }

    /** The name listxattr shows the guest for the host's {@code name}, or null to hide it. */
    String toGuest(String name) {
        for (Rule r : rules) {
            if (r.server && name.startsWith(r.prepend)) {
                return switch (r.type) {
                    case OK -> name;
                    case PREFIX -> name.length() > r.prepend.length()
                            ? name.substring(r.prepend.length()) : null;
                    case BAD, UNSUPPORTED -> null;
                };
            }
        }
        return null;
    }
}

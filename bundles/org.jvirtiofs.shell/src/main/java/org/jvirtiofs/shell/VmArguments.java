package org.jvirtiofs.shell;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jvirtiofs.api.vm.VmManager;

/**
 * The words vm:create was given once Gogo has taken the flags it knows: Gogo binds only the first
 * {@code --share} and {@code -o}, so their repeats arrive here as plain words. Errors are
 * {@link IllegalArgumentException}s whose message is the line to print.
 *
 * @param positional the words that are not options (the VM's name)
 * @param shares every {@code --share}, in order
 * @param options every {@code -o key=value}, in order
 */
record VmArguments(List<String> positional, List<String> shares, Map<String, Object> options) {
    VmArguments {
        positional = List.copyOf(positional);
        shares = List.copyOf(shares);
        options = Map.copyOf(options);
    }

    /**
     * Sorts {@code words}.
     *
     * @param firstShare the {@code --share} Gogo bound, or ""
     * @param firstOption the {@code -o} Gogo bound, or ""
     */
    static VmArguments parse(String firstShare, String firstOption, List<String> words) {
        List<String> positional = new ArrayList<>();
        List<String> shares = new ArrayList<>();
        List<String> optionWords = new ArrayList<>();
        if (!firstShare.isEmpty()) {
            shares.add(firstShare);
        }
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-s") || w.equals("--share")) {
                if (i + 1 == words.size()) {
                    throw new IllegalArgumentException(w + " needs a share's name");
                }
                shares.add(words.get(++i));
            } else if (w.equals("-o") || w.equals("--option")) {
                optionWords.add(w);
                if (i + 1 < words.size()) {
                    optionWords.add(words.get(++i));
                }
            } else if (w.startsWith("-")) {
                throw new IllegalArgumentException("unknown option " + w);
            } else {
                positional.add(w);
            }
        }
        ShareArguments o = ShareArguments.parse(firstOption, optionWords);
        return new VmArguments(positional, shares, o.options());
    }

    /** The VM's name: the one positional word. */
    String name() {
        if (positional.size() != 1) {
            throw new IllegalArgumentException(positional.isEmpty() ? "missing NAME (usage: vm:create NAME "
                    + "--kernel K [--initrd I] | --disk D [options])" : "unexpected argument " + positional.get(1));
        }
        return positional.get(0);
    }

    /**
     * The configuration of a new VM: flags override the same key given with {@code -o}; relative
     * paths are taken from {@code cwd}, the shell's current directory.
     */
    Map<String, Object> configuration(CreateFlags flags, Path cwd) {
        Map<String, Object> config = new LinkedHashMap<>(options);
        putPath(config, VmManager.KERNEL, flags.kernel(), cwd);
        putPath(config, VmManager.INITRD, flags.initrd(), cwd);
        putPath(config, VmManager.DISK, flags.disk(), cwd);
        putPath(config, VmManager.CONSOLE, flags.console(), cwd);
        putIfGiven(config, VmManager.APPEND, flags.append());
        putIfGiven(config, VmManager.MEMORY, flags.memory());
        putIfGiven(config, VmManager.ACCEL, flags.accel());
        if (!flags.cpus().isEmpty()) {
            config.put(VmManager.CPUS, ShareArguments.count("--cpus", flags.cpus()));
        }
        if (!shares.isEmpty()) {
            config.put(VmManager.SHARES, String.join(",", shares));
        }
        if (flags.autostart()) {
            config.put(VmManager.AUTOSTART, Boolean.TRUE);
        }
        return config;
    }

    private static void putPath(Map<String, Object> config, String key, String value, Path cwd) {
        if (!value.isEmpty()) {
            config.put(key, cwd.resolve(value).toAbsolutePath().normalize().toString());
        }
    }

    private static void putIfGiven(Map<String, Object> config, String key, String value) {
        if (!value.isEmpty()) {
            config.put(key, value);
        }
    }

    /**
     * vm:create's flags as Gogo bound them; "" (false) for a flag not given.
     *
     * @param kernel --kernel
     * @param initrd --initrd
     * @param append --append
     * @param disk --disk
     * @param memory --memory
     * @param cpus --cpus
     * @param accel --accel
     * @param console --console
     * @param autostart --autostart
     */
    record CreateFlags(String kernel, String initrd, String append, String disk, String memory, String cpus,
            String accel, String console, boolean autostart) {
    }
}

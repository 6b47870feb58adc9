package org.jvirtiofs.shell;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtiofs.api.share.ShareInfo;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code share:list}, {@code share:add}, {@code share:remove}, {@code share:info}, {@code share:swap}. */
@Component(service = ShareCommands.class, property = {
    "osgi.command.scope=share",
    "osgi.command.function=list",
    "osgi.command.function=add",
    "osgi.command.function=remove",
    "osgi.command.function=info",
    "osgi.command.function=swap"})
public final class ShareCommands {
    private final ShareManager manager;

    /** Commands on the share manager. */
    @Activate
    public ShareCommands(@Reference(name = "manager") ShareManager manager) {
        this.manager = manager;
    }

    /** share:list */
    @Descriptor("lists the shares: state, provider, source, transport, whether a guest is attached, "
            + "and why a share is not RUNNING")
    public void list() {
        CommandErrors.run("share:list", System.err, () -> {
            List<ShareInfo> shares = manager.shares();
            System.out.print(shares.isEmpty() ? "no shares\n" : table(shares));
        });
    }

    /** share:add */
    @Descriptor("adds a share: a provider serving DIR to a guest over a vhost-user --socket, or mounted on this "
            + "host at --mountpoint over /dev/fuse; the configuration persists")
    public void add(CommandSession session,
            @Descriptor("the provider type (default passthrough; see provider:list)")
            @Parameter(names = {"-p", "--provider"}, absentValue = "") String provider,
            @Descriptor("the vhost-user socket QEMU connects to (give this or --mountpoint)")
            @Parameter(names = {"-s", "--socket"}, absentValue = "") String socket,
            @Descriptor("a host directory to mount the share on over /dev/fuse instead of a socket")
            @Parameter(names = {"-m", "--mountpoint"}, absentValue = "") String mountpoint,
            @Descriptor("refuse every change with EROFS")
            @Parameter(names = {"-r", "--readonly"}, presentValue = "true", absentValue = "false") boolean readonly,
            @Descriptor("caching: never, auto, metadata or always (default auto)")
            @Parameter(names = {"-c", "--cache"}, absentValue = "") String cache,
            @Descriptor("guest-to-host uid ranges, GUEST:HOST:COUNT[,...]")
            @Parameter(names = {"--uid-map"}, absentValue = "") String uidMap,
            @Descriptor("guest-to-host gid ranges, GUEST:HOST:COUNT[,...]")
            @Parameter(names = {"--gid-map"}, absentValue = "") String gidMap,
            @Descriptor("worker threads per queue, or /dev/fuse readers (default 0: the queue's own thread)")
            @Parameter(names = {"-t", "--threads"}, absentValue = "") String threads,
            @Descriptor("overlay: the read-only lower directories, topmost first, A:B:C")
            @Parameter(names = {"--lower"}, absentValue = "") String lower,
            @Descriptor("overlay: the writable upper directory (without it the overlay is read-only)")
            @Parameter(names = {"--upper"}, absentValue = "") String upper,
            @Descriptor("a provider option key=value (e.g. -o xattr=true); repeat -o for more")
            @Parameter(names = {"-o", "--option"}, absentValue = "") String option,
            @Descriptor("NAME (the share's name and virtiofs tag), then DIR (the host directory to serve; "
                    + "omit it, or give -, for a provider without one, e.g. memory)") String... words) {
        CommandErrors.run("share:add", System.err, () -> {
            ShareArguments args = ShareArguments.parse(option, Arrays.asList(words));
            ShareArguments.AddFlags flags = new ShareArguments.AddFlags(provider, socket, mountpoint, readonly,
                    cache, uidMap, gidMap, threads, lower, upper);
            Path cwd = session.currentDir() != null ? session.currentDir() : Path.of("").toAbsolutePath();
            Map<String, Object> config = args.addConfiguration(flags, cwd);
            ShareInfo added = manager.add(args.name(), config);
            System.out.print(table(List.of(added)));
            if (added.state() == ShareState.FAILED) {
                // stored but not served: say so where errors go, and how to get rid of it
                throw new IllegalArgumentException(added.name() + " is FAILED: " + added.reason()
                        + " (the configuration is kept: share:remove " + added.name() + ")");
            }
        });
    }

    /** share:remove */
    @Descriptor("removes a share: stops serving it (a /dev/fuse mount is unmounted) and deletes its configuration")
    public void remove(@Descriptor("the share's name") String name) {
        CommandErrors.run("share:remove", System.err, () -> {
            manager.remove(name);
            System.out.println("removed " + name);
        });
    }

    /** share:info */
    @Descriptor("shows every field of a share and every option its provider runs with")
    public void info(@Descriptor("the share's name") String name) {
        CommandErrors.run("share:info", System.err, () -> {
            ShareInfo s = manager.share(name).orElseThrow(() -> new IllegalArgumentException("no share named " + name));
            Table fields = new Table()
                    .row("name", s.name())
                    .row("state", s.state())
                    .row("reason", s.reason().isEmpty() ? "-" : s.reason())
                    .row("provider", s.provider())
                    .row("source", s.source().isEmpty() ? "-" : s.source())
                    .row("transport", s.transport())
                    .row("connected", Table.yesNo(s.connected()));
            Table options = new Table("OPTION", "VALUE");
            new TreeMap<>(s.options()).forEach(options::row);
            System.out.print(fields.render() + "\n" + (options.isEmpty() ? "no provider options\n" : options.render()));
        });
    }

    /** share:swap */
    @Descriptor("replaces a share's provider under the live guest: quiesces the share, hands its open files over "
            + "to a new provider of TYPE with the share's options changed by -o, and resumes")
    public void swap(
            @Descriptor("a provider option to change, key=value; repeat -o for more")
            @Parameter(names = {"-o", "--option"}, absentValue = "") String option,
            @Descriptor("NAME (the share), then TYPE (the new provider's type; see provider:list)") String... words) {
        CommandErrors.run("share:swap", System.err, () -> {
            ShareArguments args = ShareArguments.parse(option, Arrays.asList(words));
            if (args.positional().size() != 2) {
                throw new IllegalArgumentException("usage: share:swap NAME TYPE [-o key=value]...");
            }
            ShareInfo after = manager.swap(args.positional().get(0), args.positional().get(1), args.options());
            System.out.print(table(List.of(after)));
        });
    }

    /** The shares as share:list prints them. */
    static String table(List<ShareInfo> shares) {
        Table t = new Table("NAME", "STATE", "PROVIDER", "SOURCE", "TRANSPORT", "CONNECTED", "REASON");
        for (ShareInfo s : shares) {
            t.row(s.name(), s.state(), s.provider(), s.source().isEmpty() ? "-" : s.source(), s.transport(),
                    Table.yesNo(s.connected()), s.reason());
        }
        return t.render();
    }
}

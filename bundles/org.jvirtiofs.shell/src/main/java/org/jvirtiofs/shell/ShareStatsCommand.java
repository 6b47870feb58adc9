package org.jvirtiofs.shell;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.jvirtiofs.api.share.ShareManager;
import org.jvirtiofs.api.share.ShareStats;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@code share:stats}: a share's live statistics, once or watched. */
@Component(service = ShareStatsCommand.class, property = {
    "osgi.command.scope=share",
    "osgi.command.function=stats"})
public final class ShareStatsCommand {
    private final ShareManager manager;

    /** Commands on the share manager. */
    @Activate
    public ShareStatsCommand(@Reference(name = "manager") ShareManager manager) {
        this.manager = manager;
    }

    /** share:stats */
    @Descriptor("shows a share's statistics since it started: requests per FUSE opcode, errors per errno, bytes "
            + "read and written, latency (p50, p99, max), requests in flight, whether a guest is attached, swaps")
    public void stats(
            @Descriptor("repeat every --interval, with the rates over each interval, until interrupted (Ctrl-C) "
                    + "or --count reports are printed")
            @Parameter(names = {"-w", "--watch"}, presentValue = "true", absentValue = "false") boolean watch,
            @Descriptor("seconds between reports when watching (default 1; fractions allowed)")
            @Parameter(names = {"-i", "--interval"}, absentValue = "1") String interval,
            @Descriptor("stop watching after this many reports (default: until interrupted)")
            @Parameter(names = {"-n", "--count"}, absentValue = "0") String count,
            @Descriptor("the share's name") String name) {
        CommandErrors.run("share:stats", System.err, () -> {
            long millis = ShareArguments.millis("--interval", interval);
            int reports = ShareArguments.count("--count", count);
            ShareStats before = manager.stats(name);
            if (!watch) {
                System.out.print(StatsReport.totals(before));
                return;
            }
            System.out.print(header(name) + StatsReport.totals(before));
            for (int n = 1; reports == 0 || n < reports; n++) {
                long start = System.nanoTime();
                Thread.sleep(millis);
                ShareStats now = manager.stats(name);
                long elapsed = Math.max(1, (System.nanoTime() - start) / 1_000_000);
                System.out.print("\n" + header(name) + StatsReport.interval(now, before, elapsed));
                System.out.flush();
                before = now;
            }
        });
    }

    private static String header(String name) {
        return "share " + name + " at " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "\n";
    }
}

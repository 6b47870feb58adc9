package org.jvirtiofs.shell;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jvirtiofs.api.share.ShareStats;

/**
 * What share:stats prints: totals since the share started, or, when watching, what changed
 * over the last interval as rates beside the totals.
 */
final class StatsReport {
    private StatsReport() {
    }

    /** The totals of {@code now}. */
    static String totals(ShareStats now) {
        return render(now, null, 0);
    }

    /** {@code now} with the rates since {@code before}, {@code millis} earlier. */
    static String interval(ShareStats now, ShareStats before, long millis) {
        return render(now, before, millis);
    }

    private static String render(ShareStats now, ShareStats before, long millis) {
        double seconds = millis / 1000.0;
        boolean rates = before != null && seconds > 0;
        Table summary = new Table();
        summary.row("connected", Table.yesNo(now.connected()));
        summary.row("in flight", now.inFlight());
        summary.row("swaps", now.swaps());
        summary.row("requests", now.totalRequests(),
                rates ? Table.rate((now.totalRequests() - before.totalRequests()) / seconds) : null);
        summary.row("read", Table.bytes(now.bytesRead()),
                rates ? Table.bytes(perSecond(now.bytesRead() - before.bytesRead(), seconds)) + "/s" : null);
        summary.row("written", Table.bytes(now.bytesWritten()),
                rates ? Table.bytes(perSecond(now.bytesWritten() - before.bytesWritten(), seconds)) + "/s" : null);
        summary.row("latency p50", Table.duration(now.p50Nanos()));
        summary.row("latency p99", Table.duration(now.p99Nanos()));
        summary.row("latency max", Table.duration(now.maxNanos()));
        StringBuilder out = new StringBuilder(summary.render());
        out.append('\n').append(counts("OPCODE", "REQUESTS", now.requests(), rates ? before.requests() : null,
                seconds));
        if (!now.errors().isEmpty()) {
            out.append('\n').append(counts("ERRNO", "ERRORS", now.errors(), rates ? before.errors() : null,
                    seconds));
        }
        return out.toString();
    }

    /** One row per key, sorted by name; with {@code before}, a rate column. */
    private static String counts(String what, String counted, Map<String, Long> now, Map<String, Long> before,
            double seconds) {
        Table t = before != null ? new Table(what, counted, "RATE") : new Table(what, counted);
        for (Map.Entry<String, Long> e : new TreeMap<>(now).entrySet()) {
            if (before != null) {
                long delta = e.getValue() - before.getOrDefault(e.getKey(), 0L);
                t.row(e.getKey(), e.getValue(), Table.rate(delta / seconds));
            } else {
                t.row(e.getKey(), e.getValue());
            }
        }
        if (t.isEmpty()) {
            return "no " + counted.toLowerCase(Locale.ROOT) + " yet\n";
        }
        return t.render();
    }

    private static long perSecond(long delta, double seconds) {
        return Math.round(delta / seconds);
    }
}

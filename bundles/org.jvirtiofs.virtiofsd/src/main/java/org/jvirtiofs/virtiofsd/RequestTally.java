package org.jvirtiofs.virtiofsd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.jvirtiofs.fuse.FuseOpcode;
import org.jvirtiofs.fuse.RequestObserver;

/**
 * What one guest asked of the daemon: requests per opcode and the time spent serving them
 * (decoding, the provider's work, the reply; not the wait for the guest). Logged when the guest
 * goes away, so an operator sees what a VM did and how much of its time the daemon took.
 * Lock-free: serving threads only add.
 */
final class RequestTally implements RequestObserver {
    private static final int OPCODES = 64;

    private final LongAdder[] requests = adders();
    private final LongAdder[] nanos = adders();

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[OPCODES];
        for (int i = 0; i < OPCODES; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    @Override
    public void served(int opcode, int errno, long nanos, long payloadBytes) {
        int op = opcode >= 0 && opcode < OPCODES ? opcode : 0;
        requests[op].increment();
        this.nanos[op].add(Math.max(0, nanos));
    }

    /**
     * The counts since the last call, and starts again from zero; null if there were none.
     * Opcodes are listed by the time they took, most first.
     */
    String takeSummary() {
        record Op(String name, long count, long nanos) {
        }
        List<Op> ops = new ArrayList<>();
        long count = 0;
        long total = 0;
        for (int op = 0; op < OPCODES; op++) {
            long n = requests[op].sumThenReset();
            long t = nanos[op].sumThenReset();
            if (n > 0) {
                ops.add(new Op(FuseOpcode.name(op), n, t));
                count += n;
                total += t;
            }
        }
        if (count == 0) {
            return null;
        }
        ops.sort((a, b) -> Long.compare(b.nanos, a.nanos));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%d %s, %.3f s serving them (%s each):", count,
                count == 1 ? "request" : "requests", total / 1e9, micros(total, count)));
        for (Op op : ops) {
            b.append(' ').append(op.name).append(' ').append(op.count).append(" (").append(micros(op.nanos, op.count))
                    .append(')');
        }
        return b.toString();
    }

    private static String micros(long nanos, long count) {
        return String.format(Locale.ROOT, "%.0f us", nanos / 1e3 / count);
    }
}

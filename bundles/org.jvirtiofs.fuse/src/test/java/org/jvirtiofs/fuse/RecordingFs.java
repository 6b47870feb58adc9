package org.jvirtiofs.fuse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FsCapability;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;

/**
 * The in-test provider: tests override the methods they exercise and record the arguments the
 * session decoded; init and destroy are recorded here.
 */
class RecordingFs implements FuseFilesystem {
    /** A recognisable attribute set: every field distinct, so misplaced fields show. */
    static final Attr ATTR = new Attr(0x1111_2222_3333_4444L, 0x5555L, 0x66L, 1_700_000_001L,
            111, 1_700_000_002L, 222, 1_700_000_003L, 333, 0100644, 2, 1000, 1001, 0x0801, 4096,
            0);
    static final Entry ENTRY = new Entry(7, 3, ATTR, Duration.ofSeconds(5, 6),
            Duration.ofSeconds(8, 9));

    final List<Object[]> calls = Collections.synchronizedList(new ArrayList<>());
    volatile Set<FsCapability> wanted = Set.of();
    volatile Set<FsCapability> offered;
    volatile int destroys;

    void record(Object... call) {
        calls.add(call);
    }

    Object[] last() {
        return calls.get(calls.size() - 1);
    }

    @Override
    public Set<FsCapability> init(Set<FsCapability> offered) throws FsException {
        this.offered = offered;
        record("init", offered);
        return wanted;
    }

    @Override
    public void destroy() {
        destroys++;
        record("destroy");
    }
}

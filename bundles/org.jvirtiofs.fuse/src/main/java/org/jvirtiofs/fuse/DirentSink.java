package org.jvirtiofs.fuse;

import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseDirent;
import org.jvirtiofs.fuse.wire.ReplyWriter;

/** A READDIR reply being built: fuse_dirent records written in place until the budget is spent. */
final class DirentSink implements DirEntrySink {
    private final ReplyWriter out;
    private int left;

    DirentSink(ReplyWriter out, int budget) {
        this.out = out;
        this.left = budget;
    }

    @Override
    public boolean add(DirEntry entry) {
        int size = FuseDirent.size(entry.name().length());
        if (size > left) {
            return false;
        }
        FuseDirent.encode(out, entry);
        left -= size;
        return true;
    }
}

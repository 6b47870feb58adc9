package org.jvirtiofs.fuse;

import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.fuse.wire.FuseOutArgs.FuseDirentplus;
import org.jvirtiofs.fuse.wire.ReplyWriter;

/** A READDIRPLUS reply being built: fuse_direntplus records written in place. */
final class DirentplusSink implements DirEntryPlusSink {
    private final ReplyWriter out;
    private int left;

    DirentplusSink(ReplyWriter out, int budget) {
        this.out = out;
        this.left = budget;
    }

    @Override
    public boolean fits(FileName name) {
        return FuseDirentplus.size(name.length()) <= left;
    }

    @Override
    public boolean add(DirEntry dirEntry, Entry entry) {
        int size = FuseDirentplus.size(dirEntry.name().length());
        if (size > left) {
            return false;
        }
        FuseDirentplus.encode(out, dirEntry, entry);
        left -= size;
        return true;
    }
}

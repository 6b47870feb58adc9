package org.jvirtiofs.fs.memory;

import java.time.Duration;
import org.jvirtiofs.api.DirEntry;
import org.jvirtiofs.api.DirEntryPlusSink;
import org.jvirtiofs.api.DirEntrySink;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.fs.memory.Directory.Link;

/**
 * READDIR and READDIRPLUS: a directory's names from a cookie on, into the reply until it is full.
 *
 * <p>Each entry's {@code nextOffset} is its own cookie, so the kernel continues "after this
 * entry" (see {@link Directory} for why that stays right while names come and go). Runs under
 * the shared tree lock, which keeps the names still while they are listed.
 */
final class Listing {
    private final NodeTable nodes;
    private final Replies replies;

    Listing(NodeTable nodes, Replies replies) {
        this.nodes = nodes;
        this.replies = replies;
    }

    /** READDIR: names only; no lookup counts change. */
    void readdir(Directory dir, long offset, DirEntrySink sink) {
        for (Link link : dir.listAfter(offset)) {
            if (!sink.add(dirEntry(link))) {
                break;
            }
        }
    }

    /** READDIRPLUS: each name with its entry, which counts as a lookup once the sink takes it. */
    void readdirplus(Directory dir, long offset, DirEntryPlusSink sink) {
        for (Link link : dir.listAfter(offset)) {
            if (!sink.fits(link.name())) {
                break; // checked first, so a reference is rarely taken only to be undone
            }
            if (link.name().isDotOrDotDot()) {
                // the kernel ignores their entry part and will never forget them
                if (!sink.add(dirEntry(link), Entry.negative(Duration.ZERO))) {
                    break;
                }
            } else if (!sink.add(dirEntry(link), replies.reference(link.node()))) {
                nodes.forget(link.node(), 1); // not sent, so not a reference after all
                break;
            }
        }
    }

    private static DirEntry dirEntry(Link link) {
        Node node = link.node();
        return new DirEntry(node.id(), link.cookie(), FileMode.direntType(node.mode()),
                link.name());
    }
}

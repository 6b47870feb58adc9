package org.jvirtiofs.api;

import java.util.Objects;

/**
 * The reply to CREATE and TMPFILE: the new node's entry and its open file.
 *
 * @param entry the new node; takes one lookup reference like any entry
 * @param open the open file on it
 */
public record CreateReply(Entry entry, OpenReply open) {

    /** Checks that nothing is null. */
    public CreateReply {
        Objects.requireNonNull(entry, "entry");
        Objects.requireNonNull(open, "open");
    }
}

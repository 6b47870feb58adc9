package org.jvirtiofs.api;

import java.time.Duration;
import java.util.Objects;

/**
 * Attributes and how long the guest may cache them: {@code struct fuse_attr_out}.
 *
 * @param attr the attributes
 * @param timeout how long the kernel may use {@code attr} without asking again (GETATTR);
 *     {@link Duration#ZERO} means ask every time. Changes made outside the guest stay invisible to
 *     it for up to this long.
 */
public record AttrReply(Attr attr, Duration timeout) {

    /** Checks that nothing is null and the timeout is not negative. */
    public AttrReply {
        Objects.requireNonNull(attr, "attr");
        Entry.checkTimeout(timeout, "timeout");
    }
}

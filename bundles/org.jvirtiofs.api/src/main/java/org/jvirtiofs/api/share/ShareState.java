package org.jvirtiofs.api.share;

/** Where a share is in its life. */
public enum ShareState {
    /** Configured; its provider type is not installed yet, so nothing is served. */
    WAITING,
    /** Serving: the transport is up (a guest may or may not be connected). */
    RUNNING,
    /** Its provider went away: requests wait (bounded) for a replacement, then get EIO. */
    SUSPENDED,
    /** The configuration cannot be served; {@link ShareInfo#reason()} says why. */
    FAILED
}

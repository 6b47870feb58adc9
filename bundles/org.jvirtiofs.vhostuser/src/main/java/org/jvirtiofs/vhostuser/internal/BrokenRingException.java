package org.jvirtiofs.vhostuser.internal;

/** The guest's ring state is inconsistent (avail idx too far ahead, head out of range): the queue stops. */
public final class BrokenRingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Without a stack trace: the message says what was wrong. */
    public BrokenRingException(String message) {
        super(message, null, false, false);
    }
}

package org.jvirtiofs.vhostuser.internal;

/** A message that breaks the framing or its type's layout: the connection cannot be trusted and is dropped. */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Without a stack trace: the message says what was wrong. */
    public ProtocolException(String message) {
        super(message, null, false, false);
    }
}

package org.jvirtiofs.vhostuser.internal;

/** A well-formed request the backend refuses (bad index, unsupported value): acked as failed, connection kept. */
public final class RejectedRequestException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Without a stack trace: the message says what was refused. */
    public RejectedRequestException(String message) {
        super(message, null, false, false);
    }
}

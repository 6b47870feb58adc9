package org.jvirtiofs.fuse;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every request a {@link FuseSession} served, for statistics. Called on the serving
 * thread right after the reply was formed, so it must be cheap and must not throw.
 */
@ConsumerType
@FunctionalInterface
public interface RequestObserver {
    /** An observer that ignores everything. */
    RequestObserver NONE = (opcode, errno, nanos, payloadBytes) -> { };

    /**
     * One request was served.
     *
     * @param opcode the FUSE opcode ({@link FuseOpcode})
     * @param errno 0 on success, else the errno replied
     * @param nanos how long serving it took
     * @param payloadBytes for a successful READ the bytes replied, for WRITE the bytes received; else 0
     */
    void served(int opcode, int errno, long nanos, long payloadBytes);

    /**
     * A request met a bug: a RuntimeException or LinkageError out of the provider or the session
     * itself. The request was replied EIO (or dropped, if it had no reply) and the session goes
     * on; {@link #served} is still called for it. For counting bugs and for tests that must see
     * none; the session logs them itself.
     *
     * @param opcode the FUSE opcode, or -1 when the header could not be read
     * @param bug what was thrown
     */
    default void failed(int opcode, Throwable bug) {
    }
}

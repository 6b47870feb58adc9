package org.jvirtiofs.vhostuser;

import java.nio.ByteBuffer;
import java.util.function.Predicate;
import org.osgi.annotation.versioning.ConsumerType;

/** Serves one descriptor chain: reads the request from guest memory and writes the reply into it. */
@ConsumerType
@FunctionalInterface
public interface RequestHandler {

    /**
     * Handles one chain. Each buffer's position..limit is one segment of guest memory (a direct
     * buffer viewing the shared mapping, so nothing was copied); the buffers are valid only
     * during this call. Called from a queue worker, or from a pool thread when the backend has one.
     *
     * @param readable the device-readable segments, in chain order (the request)
     * @param writable the device-writable segments, in chain order (room for the reply)
     * @return the number of bytes written into the writable segments (the used length), 0 for no reply
     */
    int handle(ByteBuffer[] readable, ByteBuffer[] writable);

    /**
     * Whether the request in {@code readable} may wait until a later request is served (a lock
     * waiting until granted). The backend then serves it on a thread of its own, so the queue
     * goes on, and interrupts that thread when the queue stops. False by default.
     */
    default boolean mayBlock(ByteBuffer[] readable) {
        return false;
    }

    /**
     * A frontend's connection ended (it disconnected or was dropped, or the backend stops) and its
     * queues are stopped: what was tied to that guest, such as a FUSE session's nodes and open
     * handles, can go, and the next frontend starts afresh. Called once per connection on the
     * request handler and, if it is another object, on the hiprio one, from the backend's socket
     * thread. A handler still running past the stop timeout may still be running. Does nothing by
     * default.
     */
    default void frontendGone() {
    }

    /** {@code handler} with {@code gone} run as its {@link #frontendGone}. */
    static RequestHandler onFrontendGone(RequestHandler handler, Runnable gone) {
        return of(handler, handler::mayBlock, gone);
    }

    /**
     * {@code handle} with {@code mayBlock} as its {@link #mayBlock}: for a FUSE session,
     * {@code RequestHandler.of(session::handle, session::mayBlock)}, or a waiting lock stops its
     * queue until granted, and so for good when only a later request of the queue would grant it.
     */
    static RequestHandler of(RequestHandler handle, Predicate<ByteBuffer[]> mayBlock) {
        return of(handle, mayBlock, handle::frontendGone);
    }

    private static RequestHandler of(RequestHandler handle, Predicate<ByteBuffer[]> mayBlock, Runnable gone) {
        return new RequestHandler() {
            @Override
            public int handle(ByteBuffer[] readable, ByteBuffer[] writable) {
                return handle.handle(readable, writable);
            }

            @Override
            public boolean mayBlock(ByteBuffer[] readable) {
                return mayBlock.test(readable);
            }

            @Override
            public void frontendGone() {
                gone.run();
            }
        };
    }
}

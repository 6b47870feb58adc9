package org.jvirtiofs.vhostuser;

import java.nio.ByteBuffer;
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
}

package org.jvirtiofs.vhostuser.internal;

import java.nio.ByteBuffer;

/**
 * One available descriptor chain as segments of guest memory: the device-readable ones (the
 * request), then the device-writable ones (room for the reply). A chain the guest built wrongly
 * carries an {@code error} and no segments; it goes back to the guest used with length 0.
 *
 * @param head          the head descriptor index, which the used ring entry names
 * @param readable      device-readable segments in chain order
 * @param writable      device-writable segments in chain order
 * @param writableBytes the total length of the writable segments: the most a reply may use
 * @param error         why the chain is unusable, or null
 */
public record DescriptorChain(int head, ByteBuffer[] readable, ByteBuffer[] writable, long writableBytes, String error) {
    private static final ByteBuffer[] NONE = new ByteBuffer[0];

    /** An unusable chain, returned used with length 0. */
    public static DescriptorChain broken(int head, String error) {
        return new DescriptorChain(head, NONE, NONE, 0, error);
    }

    /** Clamps a handler's reply length into [0, writableBytes]. */
    public int usedLength(int written) {
        return (int) Math.max(0, Math.min(written, writableBytes));
    }
}

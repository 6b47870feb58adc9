package org.jvirtiofs.posix;

/**
 * What one recvmsg(2) got: the byte count (0 when the peer closed), the descriptors passed
 * with SCM_RIGHTS (now owned by the receiver) and the msg_flags (MSG_CTRUNC: some fds were dropped).
 */
public record Received(int bytes, int[] fds, int flags) {

    /** Whether the control data was cut short, losing descriptors. */
    public boolean fdsTruncated() {
        return (flags & SocketFlags.MSG_CTRUNC) != 0;
    }
}

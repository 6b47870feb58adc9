package org.jvirtiofs.posix;

/** poll(2) event bits (POLL*). */
public final class PollFlags {
    public static final int POLLIN = 0x001;
    public static final int POLLPRI = 0x002;
    public static final int POLLOUT = 0x004;
    public static final int POLLERR = 0x008;
    public static final int POLLHUP = 0x010;
    public static final int POLLNVAL = 0x020;
    public static final int POLLRDHUP = 0x2000;

    private PollFlags() {
    }
}

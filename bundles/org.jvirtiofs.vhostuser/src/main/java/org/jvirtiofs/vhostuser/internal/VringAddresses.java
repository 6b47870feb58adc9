package org.jvirtiofs.vhostuser.internal;

/** A vring's ring addresses from VHOST_USER_SET_VRING_ADDR: frontend user addresses, not guest-physical. */
public record VringAddresses(long desc, long used, long avail) {
    @Override
    public String toString() {
        return String.format("desc 0x%x, used 0x%x, avail 0x%x", desc, used, avail);
    }
}

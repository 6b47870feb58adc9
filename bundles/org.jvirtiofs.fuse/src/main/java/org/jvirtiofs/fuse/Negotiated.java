package org.jvirtiofs.fuse;

/**
 * What INIT settled, immutable, read by every request after it.
 *
 * @param minor the protocol minor version in use
 * @param flags the accepted init flags (flags2 in bits 32..63)
 * @param maxWrite the WRITE payload limit announced
 */
record Negotiated(int minor, long flags, int maxWrite) {

    boolean has(long flag) {
        return (flags & flag) != 0;
    }
}

package org.jvirtiofs.posix;

/** setxattr(2) flags (XATTR_*). */
public final class XattrFlags {
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    private XattrFlags() {
    }
}

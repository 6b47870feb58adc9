package org.jvirtiofs.posix;

/** renameat2(2) flags (RENAME_*). */
public final class RenameFlags {
    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;
    public static final int RENAME_WHITEOUT = 4;

    private RenameFlags() {
    }
}

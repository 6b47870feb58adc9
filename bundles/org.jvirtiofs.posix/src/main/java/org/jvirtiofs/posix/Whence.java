package org.jvirtiofs.posix;

/** lseek(2) whence values, including SEEK_DATA and SEEK_HOLE. */
public final class Whence {
    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    private Whence() {
    }
}

package org.jvirtiofs.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One component of a path, as the exact bytes the guest sent or a provider listed.
 *
 * <p>Linux names are bytes, not text: a name that is not valid UTF-8 must survive a LOOKUP and a
 * READDIR unchanged, which a {@link String} cannot promise. A FileName is never empty and holds no
 * {@code '/'} and no NUL. It can be {@code "."} or {@code ".."}: LOOKUP of ".." arrives when the
 * guest re-exports the mount (EXPORT_SUPPORT), so a provider confined to a directory must check.
 * Immutable; equality and ordering are by content, so it can key a map.
 */
public final class FileName implements Comparable<FileName> {
    /** {@code "."}. */
    public static final FileName DOT = new FileName(new byte[] {'.'});
    /** {@code ".."}. */
    public static final FileName DOT_DOT = new FileName(new byte[] {'.', '.'});

    private final byte[] bytes;
    private int hash;

    private FileName(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * The name made of a copy of {@code bytes}.
     *
     * @throws IllegalArgumentException if empty or containing '/' or NUL
     */
    public static FileName of(byte[] bytes) {
        return checked(bytes.clone());
    }

    /**
     * The name whose UTF-8 encoding is {@code name}.
     *
     * @throws IllegalArgumentException if empty or containing '/' or NUL
     */
    public static FileName of(String name) {
        return checked(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The name made of the next {@code length} bytes of {@code src}, advancing its position: one
     * copy, straight from transport memory.
     *
     * @throws IllegalArgumentException if empty or containing '/' or NUL
     */
    public static FileName read(ByteBuffer src, int length) {
        byte[] b = new byte[length];
        src.get(b);
        return checked(b);
    }

    private static FileName checked(byte[] b) {
        if (b.length == 0) {
            throw new IllegalArgumentException("empty file name");
        }
        for (byte c : b) {
            if (c == '/' || c == 0) {
                throw new IllegalArgumentException("file name contains '/' or NUL: " + display(b));
            }
        }
        return new FileName(b);
    }

    /** The number of bytes. */
    public int length() {
        return bytes.length;
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the bytes, e.g. to hand to a system call. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** Puts the bytes into {@code dst} at its position, advancing it: encoding without a copy. */
    public void copyTo(ByteBuffer dst) {
        dst.put(bytes);
    }

    /** Whether this is {@code "."} or {@code ".."}. */
    public boolean isDotOrDotDot() {
        return bytes[0] == '.' && (bytes.length == 1 || (bytes.length == 2 && bytes[1] == '.'));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileName other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h; // racy but idempotent, like String.hashCode
        }
        return h;
    }

    /** Unsigned byte-wise order, the order {@code strcmp} gives. */
    @Override
    public int compareTo(FileName o) {
        return Arrays.compareUnsigned(bytes, o.bytes);
    }

    /** The name decoded as UTF-8, for display only: invalid sequences become U+FFFD. */
    @Override
    public String toString() {
        return display(bytes);
    }

    private static String display(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}

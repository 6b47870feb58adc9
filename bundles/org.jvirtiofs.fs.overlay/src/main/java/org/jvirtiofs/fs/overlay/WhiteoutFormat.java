package org.jvirtiofs.fs.overlay;

import java.util.Locale;

/**
 * How the overlay writes whiteouts (a deleted lower name) and opaque markers (a directory that
 * hides the lower ones) into the upper directory. Both formats are always read, in every layer.
 */
public enum WhiteoutFormat {
    /**
     * As the kernel's overlayfs writes them: a character device 0/0 under the deleted name, and
     * the {@code trusted.overlay.opaque=y} xattr on an opaque directory. The upper can later be
     * mounted with {@code mount -t overlay}.
     */
    OVERLAYFS("overlayfs"),
    /**
     * As OCI image layers hold them: an empty file {@code .wh.NAME} for a deleted NAME, and an
     * empty file {@code .wh..wh..opq} in an opaque directory. The upper can be packed as a layer.
     */
    OCI("oci");

    private final String optionValue;

    WhiteoutFormat(String optionValue) {
        this.optionValue = optionValue;
    }

    /** The option's spelling. */
    public String optionValue() {
        return optionValue;
    }

    /**
     * The format named {@code value} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static WhiteoutFormat parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        for (WhiteoutFormat f : values()) {
            if (f.optionValue.equals(v)) {
                return f;
            }
        }
        throw new IllegalArgumentException(OverlayOptions.WHITEOUT + " must be overlayfs or oci; got '"
                + value + "'");
    }
}

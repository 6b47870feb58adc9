package org.jvirtiofs.fs.passthrough;

import java.util.Locale;

/**
 * What an inode holds on to, as virtiofsd's {@code --inode-file-handles}: an O_PATH fd per inode,
 * or a file handle (name_to_handle_at) reopened with open_by_handle_at when needed.
 */
public enum InodeFileHandles {
    /** Always an O_PATH fd: simple, but one open fd per inode the guest knows. */
    NEVER,
    /** A file handle where the filesystem supports them, else an O_PATH fd. */
    PREFER,
    /** A file handle or nothing: lookups fail where handles are unsupported. */
    MANDATORY;

    /** The option value, e.g. {@code "prefer"}. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses an option value, ignoring case. */
    static InodeFileHandles parse(String value) {
        for (InodeFileHandles mode : values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException(PassthroughOptions.INODE_FILE_HANDLES
                + " must be one of never, prefer, mandatory; got '" + value + "'");
    }
}

package org.jvirtiofs.devfuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jvirtiofs.posix.MountFlags;
import org.jvirtiofs.posix.Mounts;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds mounts of ours that outlived their daemon (a JVM killed while mounted leaves a mount
 * whose every access fails with ENOTCONN) and detaches them before a new mount at that place.
 */
final class StaleMounts {
    private static final Logger LOG = LoggerFactory.getLogger(StaleMounts.class);
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private StaleMounts() {
    }

    /** Lazily unmounts every mount of {@code fsType} at {@code mountpoint}; returns how many. */
    static int detach(Path mountpoint, String fsType) throws IOException, PosixException {
        String target = mountpoint.toAbsolutePath().normalize().toString();
        int detached = 0;
        // stacked stale mounts show as several lines; each umount2 peels the top one
        while (isMounted(target, fsType)) {
            LOG.warn("detaching a stale {} mount at {} (its daemon is gone)", fsType, target);
            Mounts.umount2(target, MountFlags.MNT_DETACH);
            detached++;
        }
        return detached;
    }

    /** Whether a mount of {@code fsType} sits at {@code target}. */
    static boolean isMounted(String target, String fsType) throws IOException {
        List<String> lines = Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
        for (String line : lines) {
            // id parent major:minor root mountpoint options [optional...] - fstype source superopts
            String[] f = line.split(" ");
            int dash = List.of(f).indexOf("-");
            if (f.length > 4 && dash > 0 && dash + 1 < f.length
                    && unescape(f[4]).equals(target) && f[dash + 1].equals(fsType)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

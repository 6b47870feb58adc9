package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.devfuse.Programs;
import org.jvirtiofs.fuse.FuseOpcode;

/**
 * Listings carry their entries' attributes (READDIRPLUS) unless the share says not to, or at
 * cache=never, where the kernel would discard them: then it lists with READDIR, and `ls -l`
 * shows the same.
 */
class ReaddirplusMountTest {
    @Test
    void listingsCarryAttributesExceptAtCacheNeverOrWhenTurnedOff() throws Exception {
        assertLists(o -> o, true);
        assertLists(o -> o.withCache(CacheMode.ALWAYS), true);
        assertLists(o -> o.withCache(CacheMode.NEVER), false);
        assertLists(o -> o.withReaddirplus(false), false);
    }

    private static void assertLists(UnaryOperator<PassthroughOptions> tweak, boolean plus) throws Exception {
        try (MountedShare share = new MountedShare(tweak)) {
            for (int i = 0; i < 50; i++) {
                Files.writeString(share.source.resolve("f" + i), "x".repeat(i));
            }
            Files.createDirectory(share.source.resolve("d"));
            String listing = "ls -ln --time-style=+%s . | sed 1d";
            String expected = Programs.run(share.source, "bash", "-c", listing);
            assertEquals(expected, Programs.run(share.mnt, "bash", "-c", listing));
            int readdirplus = share.served(FuseOpcode.FUSE_READDIRPLUS);
            int readdir = share.served(FuseOpcode.FUSE_READDIR);
            assertTrue(plus ? readdirplus > 0 && readdir == 0 : readdirplus == 0 && readdir > 0,
                    "READDIRPLUS " + readdirplus + ", READDIR " + readdir);
        }
    }
}

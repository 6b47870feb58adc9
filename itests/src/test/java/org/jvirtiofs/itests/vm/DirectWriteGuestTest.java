package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code -o direct_write} at cache=auto, a guest's write-only open of a file nothing else
 * holds open writes past the guest's page cache (FOPEN_DIRECT_IO), as 9p at cache=mmap does:
 * 32 MiB written by dd leave next to nothing cached, where without it ({@code -o
 * no_direct_write}, the default), or beside an open reader, they fill 32 MiB of it. What was
 * written and appended arrives whole on the host either way.
 */
class DirectWriteGuestTest {
    private static final int MIB_32_IN_KIB = 32 * 1024;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aLoneWriteOnlyWriterBypassesTheGuestsPageCacheAndLosesNothing(boolean direct) throws Exception {
        GuestImage image = GuestImage.withScript("direct-write.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path socket = tmp.resolve("jvirtiofsd.sock");
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=auto", "-o", direct ? "direct_write" : "no_direct_write")) {
            GuestVm.Console console = new GuestVm(image, socket, "direct", tmp.resolve("console.log"))
                    .daemonLog(daemon::log).run();
            assertTrue(Files.exists(share.resolve("direct.out")), console.text());
        }
        Map<String, String> out = Files.readAllLines(share.resolve("direct.out")).stream()
                .map(l -> l.split("=", 2)).collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        int alone = Integer.parseInt(out.get("alone-kib"));
        int beside = Integer.parseInt(out.get("beside-reader-kib"));
        if (direct) {
            assertTrue(alone < MIB_32_IN_KIB / 8, "a lone writer cached " + alone + " KiB of 32 MiB");
        } else {
            assertTrue(alone >= MIB_32_IN_KIB * 9 / 10, "with no_direct_write, " + alone + " KiB cached");
        }
        assertTrue(beside >= MIB_32_IN_KIB * 9 / 10,
                "a writer beside an open reader goes through the page cache: " + beside + " KiB cached");
        assertEquals(32L << 20, Files.size(share.resolve("big")), "dd's file, on the host");
        Path data = share.resolve("data");
        assertEquals(6_000_000L, Files.size(data), "written, then appended");
        byte[] all = Files.readAllBytes(data);
        Path first = Files.write(tmp.resolve("first"), java.util.Arrays.copyOf(all, 3_000_000));
        Path second = Files.write(tmp.resolve("second"), java.util.Arrays.copyOfRange(all, 3_000_000, 6_000_000));
        assertEquals(out.get("src"), DaemonProc.md5(first), "the write, on the host");
        assertEquals(out.get("src"), DaemonProc.md5(second), "the append, on the host");
    }
}

package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite in the guest inserts rows ten per transaction into a database on the share while the
 * host's sqlite3 reads the same file: locks taken in the guest reach the host (as OFD locks),
 * so the host never sees half a transaction or a damaged file.
 */
class SqliteGuestTest {
    private static final int ROWS = 3000;

    @TempDir
    Path tmp;

    @Test
    void theHostReadsAGuestsDatabaseUnderLocksWithoutEverSeeingHalfATransaction() throws Exception {
        GuestImage image = GuestImage.withScript("sqlite.sh");
        Path share = Files.createDirectory(tmp.resolve("share"));
        Path db = share.resolve("test.db");
        Path socket = tmp.resolve("jvirtiofsd.sock");
        List<Integer> counts = new ArrayList<>();
        GuestVm.Console console;
        try (JvirtiofsdProcess daemon = JvirtiofsdProcess.start(socket, tmp.resolve("jvirtiofsd.log"),
                "--shared-dir=" + share, "--cache=auto")) {
            GuestVm vm = new GuestVm(image, socket, "sqlite", tmp.resolve("console.log")).daemonLog(daemon::log);
            CompletableFuture<GuestVm.Console> guest = CompletableFuture.supplyAsync(() -> {
                try {
                    return vm.run();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            while (!guest.isDone()) {
                if (Files.exists(db)) {
                    String out = hostQuery(db, "SELECT count(*) FROM t; PRAGMA quick_check;");
                    if (!out.contains("no such table")) {
                        String[] lines = out.strip().split("\n");
                        assertEquals("ok", lines[lines.length - 1], "the host saw a damaged database: " + out);
                        counts.add(Integer.parseInt(lines[0].strip()));
                    }
                }
                Thread.sleep(100);
            }
            console = guest.get(1, TimeUnit.MINUTES);
        }
        assertTrue(console.text().contains("JVFS-SQL: " + ROWS + " rows, integrity ok"), console.text());
        assertTrue(counts.size() > 3, "the host read too rarely to prove anything: " + counts);
        for (int i = 0; i < counts.size(); i++) {
            assertEquals(0, counts.get(i) % 10, "the host saw half a transaction: " + counts);
            assertTrue(i == 0 || counts.get(i) >= counts.get(i - 1), "rows went missing: " + counts);
        }
        assertEquals(ROWS + "\nok", hostQuery(db, "SELECT count(*) FROM t; PRAGMA integrity_check;").strip());
    }

    private static String hostQuery(Path db, String sql) throws Exception {
        Process p = new ProcessBuilder("sqlite3", "-cmd", ".timeout 30000", db.toString(), sql)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "sqlite3 on the host hung");
        return out;
    }
}

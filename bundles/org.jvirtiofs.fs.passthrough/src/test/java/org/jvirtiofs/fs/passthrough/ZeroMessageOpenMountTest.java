package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.fuse.FuseOpcode;

/**
 * Zero-message opens on a real mount, requests counted by its session: at cache=always without
 * host locks the first OPEN is answered ENOSYS and the kernel opens and closes files by itself
 * from then on, while what the files hold (written, appended, truncated, synced, read) is the
 * same as through handles; elsewhere every open still asks.
 */
class ZeroMessageOpenMountTest {
    private static final int READS = 10;
    private static final int APPENDS = 3;
    private static final int LISTINGS = 3;

    @Test
    void atCacheAlwaysWithoutHostLocksFilesOpenAndCloseWithoutMessages() throws Exception {
        try (MountedShare share = new MountedShare(o -> o.withCache(CacheMode.ALWAYS).withLocks(false, false))) {
            useFiles(share);
            // the first CREATE's ENOSYS had the kernel make the file with MKNOD and open it, and that
            // OPEN's ENOSYS ended the OPENs and RELEASEs; the first FLUSH's ended the FLUSHes
            assertEquals(1, share.served(FuseOpcode.FUSE_CREATE));
            assertEquals(1, share.served(FuseOpcode.FUSE_MKNOD));
            assertEquals(1, share.served(FuseOpcode.FUSE_OPEN), "only the first open asked");
            assertEquals(1, share.served(FuseOpcode.FUSE_FLUSH));
            assertEquals(0, share.served(FuseOpcode.FUSE_RELEASE));
            assertEquals(1, share.served(FuseOpcode.FUSE_OPENDIR), "only the first listing asked");
            assertEquals(0, share.served(FuseOpcode.FUSE_RELEASEDIR));
            assertEquals(0, share.fs.handleCount(), "no handle is held for the kernel's own opens");
        }
    }

    @Test
    void otherCacheModesStillOpenEveryFile() throws Exception {
        try (MountedShare share = new MountedShare(o -> o.withCache(CacheMode.AUTO).withLocks(false, false))) {
            useFiles(share);
            assertEquals(opens(), share.served(FuseOpcode.FUSE_OPEN));
            assertEquals(LISTINGS, share.served(FuseOpcode.FUSE_OPENDIR));
        }
    }

    @Test
    void hostLocksStillOpenEveryFile() throws Exception {
        try (MountedShare share = new MountedShare(o -> o.withCache(CacheMode.ALWAYS).withLocks(true, false))) {
            useFiles(share);
            assertEquals(opens(), share.served(FuseOpcode.FUSE_OPEN));
        }
    }

    @Test
    void theOptionTurnsThemOff() throws Exception {
        try (MountedShare share = new MountedShare(
                o -> o.withCache(CacheMode.ALWAYS).withLocks(false, false).withZeroMessageOpen(false))) {
            useFiles(share);
            assertEquals(opens(), share.served(FuseOpcode.FUSE_OPEN));
        }
    }

    /** Opens of an existing file in {@link #useFiles}: the reads, appends, truncating write, sync and final read. */
    private static int opens() {
        return READS + APPENDS + 1 + 1 + 1;
    }

    /** Creates a file through the mount, reads, appends, truncates, syncs and checks it on both sides. */
    private static void useFiles(MountedShare share) throws Exception {
        Path f = share.mnt.resolve("f");
        Path host = share.source.resolve("f");
        Files.writeString(f, "data\n");
        for (int i = 0; i < READS; i++) {
            assertEquals("data\n", Files.readString(f));
        }
        for (int i = 0; i < APPENDS; i++) {
            Files.writeString(f, "more\n", StandardOpenOption.APPEND);
        }
        assertEquals("data\n" + "more\n".repeat(APPENDS), Files.readString(host));
        Files.writeString(f, "new\n", StandardOpenOption.TRUNCATE_EXISTING);
        assertEquals("new\n", Files.readString(host), "O_TRUNC reached the host");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("NEW".getBytes()), 0);
            ch.force(true); // FSYNC
            ch.truncate(3); // SETATTR of the size, on the open file
        }
        assertArrayEquals("NEW".getBytes(), Files.readAllBytes(host));
        assertEquals("NEW", Files.readString(f));
        Files.createDirectory(share.mnt.resolve("d"));
        for (int i = 0; i < 100; i++) {
            Files.writeString(share.source.resolve("d/f" + i), "x"); // behind the guest's back: it lists them once
        }
        for (int i = 0; i < LISTINGS; i++) {
            try (var names = Files.list(share.mnt.resolve("d"))) {
                assertEquals(100, names.count());
            }
        }
    }
}

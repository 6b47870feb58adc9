package org.jvirtiofs.itests.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.io.TempDir;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fs.overlay.OverlayFilesystem;
import org.jvirtiofs.fs.overlay.OverlayOptions;
import org.jvirtiofs.fs.passthrough.PassthroughFilesystem;
import org.jvirtiofs.fs.passthrough.PassthroughOptions;
import org.jvirtiofs.fuse.FuseOpcode;
import org.jvirtiofs.fuse.RequestObserver;
import org.jvirtiofs.posix.AtFlags;
import org.jvirtiofs.posix.Fs;
import org.jvirtiofs.posix.PosixException;
import org.jvirtiofs.posix.RenameFlags;

/**
 * The confinement suite, run from a real guest against passthrough and overlay shares: the
 * guest's launcher/guest/confine tries each named attack while host threads race it (a directory
 * and a file swapped for symlinks to outside, over and over), and a procfs mounted in the share
 * offers the daemon's own magic links. The guest reports what it could read; the host checks that
 * nothing outside changed (contents, modes, owners, times, ctime, links, xattrs).
 */
class ConfinementGuestTest {
    /** Every attack confine makes, in its order. */
    static final List<String> ATTACKS = List.of("symlink-absolute", "symlink-relative-up",
            "symlink-made-by-the-guest", "setattr-on-a-symlink", "dotdot-above-the-root",
            "rename-race-directory-swapped-for-a-symlink", "rename-race-file-swapped-for-a-symlink",
            "copy-up-race", "hard-link-to-a-symlink", "hard-link-across-mounts", "proc-magic-links",
            "forged-file-handles", "xattr-names");
    /** Iterations of each race in the guest (a few seconds under TCG). */
    private static final int ROUNDS = Integer.getInteger("jvirtiofs.confine.rounds", 300);

    private static final Logger LOG = LoggerFactory.getLogger(ConfinementGuestTest.class);

    @TempDir
    Path tmp;

    @Test
    void noAttackFromAGuestGetsOutsideAPassthroughShare() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        attack(share, share, () -> new PassthroughFilesystem(PassthroughOptions.parse(Map.of("source", share.toString(),
                PassthroughOptions.CACHE, "never"))));
    }

    @Test
    void noAttackFromAGuestGetsOutsideAPassthroughShareServedByFileHandles() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        attack(share, share, () -> new PassthroughFilesystem(PassthroughOptions.parse(Map.of("source", share.toString(),
                PassthroughOptions.CACHE, "never", PassthroughOptions.INODE_FILE_HANDLES, "prefer"))));
    }

    @Test
    void noAttackFromAGuestGetsOutsideAnOverlayShare() throws Exception {
        Path lower = Files.createDirectory(tmp.resolve("lower"));
        Path upper = Files.createDirectory(tmp.resolve("upper"));
        Files.createDirectories(lower.resolve("cu"));
        Files.writeString(lower.resolve("cu/victim"), "lower\n");
        attack(lower, upper, () -> new OverlayFilesystem(OverlayOptions.parse(Map.of(OverlayOptions.LOWER,
                lower.toString(), OverlayOptions.UPPER, upper.toString(), OverlayOptions.CACHE, "never",
                OverlayOptions.XATTR, "true"))));
    }

    /**
     * A provider that throws (a bug) fails the request it was serving with EIO, and only that
     * one: the guest's next requests on the same share are served.
     */
    @Test
    void aProviderBugFailsOnlyItsOwnRequestWithEioAndTheGuestGoesOn() throws Exception {
        Path share = Files.createDirectory(tmp.resolve("share"));
        Files.writeString(share.resolve("kept"), "kept\n");
        String script = String.join("\n", "cd \"$JVFS_MNT\"",
                "if mkdir boom 2>/tmp/mkdir.err; then echo 'VMTEST: mkdir boom worked'; exit 1; fi",
                "cat /tmp/mkdir.err", "grep -q 'Input/output error' /tmp/mkdir.err",
                "if stat bomb 2>/tmp/stat.err; then echo 'VMTEST: stat bomb worked'; exit 1; fi",
                "cat /tmp/stat.err", "grep -q 'Input/output error' /tmp/stat.err",
                "mkdir fine && echo after > fine/file && [ \"$(cat fine/file)\" = after ] && [ \"$(cat kept)\" = kept ]",
                "echo 'VMTEST: served after the bugs'", "");
        List<String> bugs = new CopyOnWriteArrayList<>();
        try (PassthroughFilesystem real = new PassthroughFilesystem(PassthroughOptions.of(share))) {
            FuseFilesystem buggy = failing(real, Map.of("mkdir", "boom", "lookup", "bomb"));
            GuestVm.Console console = serve(buggy, GuestImage.withScriptText(script), (opcode, bug) ->
                    bugs.add(opcode + " " + bug.getMessage()));
            assertTrue(console.text().contains("VMTEST: served after the bugs"), console.text());
        }
        assertEquals(List.of(FuseOpcode.FUSE_MKDIR + " a bug in mkdir boom",
                FuseOpcode.FUSE_LOOKUP + " a bug in lookup bomb"), bugs.stream().distinct().toList());
        assertEquals("after\n", Files.readString(share.resolve("fine/file")));
        assertTrue(Files.notExists(share.resolve("boom")));
    }

    /** {@code fs}, throwing IllegalStateException from each method of {@code bugs} given its name. */
    private static FuseFilesystem failing(FuseFilesystem fs, Map<String, String> bugs) {
        return (FuseFilesystem) Proxy.newProxyInstance(ConfinementGuestTest.class.getClassLoader(),
                new Class<?>[] {FuseFilesystem.class}, (proxy, method, args) -> {
                    for (Object a : args == null ? new Object[0] : args) {
                        if (a instanceof FileName n && n.toString().equals(bugs.get(method.getName()))) {
                            throw new IllegalStateException("a bug in " + method.getName() + " " + n);
                        }
                    }
                    try {
                        return method.invoke(fs, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private interface Provider {
        FuseFilesystem open() throws Exception;
    }

    /**
     * Lays out the attack surface in {@code links} (the share, or the overlay's lower layer) and
     * {@code races} (the share, or the upper layer: where the host's swaps happen), serves it to
     * a guest running confine, and checks its report and the outside tree.
     */
    private void attack(Path links, Path races, Provider provider) throws Exception {
        Path outside = Files.createDirectory(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "OUTSIDE-SECRET\n");
        Files.writeString(outside.resolve("victim"), "OUTSIDE-VICTIM\n");
        Files.createSymbolicLink(links.resolve("abs"), outside);
        Files.createSymbolicLink(links.resolve("up"), Path.of("../outside"));
        Files.createSymbolicLink(links.resolve("secretlink"), outside.resolve("secret"));
        Files.createDirectories(links.resolve("xdir"));
        Files.writeString(links.resolve("xdir/one"), "one\n");
        Files.writeString(links.resolve("xa"), "xa\n");
        Files.createDirectories(races.resolve("race"));
        Files.writeString(races.resolve("race/secret"), "INSIDE\n");
        Files.writeString(races.resolve("race/victim"), "inside\n");
        Files.createSymbolicLink(races.resolve("racelink"), outside);
        Files.createDirectories(races.resolve("flip"));
        Files.writeString(races.resolve("flip/victim"), "inside\n");
        Files.createSymbolicLink(races.resolve("flip/decoy"), outside.resolve("victim"));
        Path proc = Files.createDirectory(links.resolve("proc"));
        InProcessShare.sh("mount -t proc proc " + proc);
        String before = snapshot(outside);
        List<String> bugs = new CopyOnWriteArrayList<>();
        String ino = InProcessShare.sh("stat -c %i " + outside.resolve("secret")).trim();
        String script = "confine \"$JVFS_MNT\" " + outside + " " + ino + " " + ROUNDS + "\necho \"CONFINE-EXIT $?\"\n";
        GuestVm.Console console;
        String swaps;
        // the daemon (this JVM) holds outside/secret open: proc/PID/fd offers a magic link to it
        try (FileChannel held = FileChannel.open(outside.resolve("secret"));
                FuseFilesystem fs = provider.open();
                Swapper dir = new Swapper(() -> exchange(races.resolve("race"), races.resolve("racelink")));
                Swapper file = new Swapper(() -> exchange(races.resolve("flip/victim"), races.resolve("flip/decoy")));
                Swapper copyUp = new Swapper(() -> flap(races.resolve("cu"), outside))) {
            console = serve(fs, GuestImage.withScriptText(script), (opcode, bug) -> bugs.add(opcode + " " + bug));
            assertTrue(dir.count.get() > 0 && file.count.get() > 0, "the host raced the guest");
            swaps = dir.count + " directory swaps, " + file.count + " file swaps, " + copyUp.count + " copy-up flaps";
        } finally {
            InProcessShare.sh("umount -l " + proc);
        }
        String text = console.text().replace("\r\n", "\n");
        LOG.info("the guest's confinement report ({} by the host):\n{}", swaps, report(text));
        for (String attack : ATTACKS) {
            assertTrue(text.contains("CONFINE " + attack + ": held"), attack + " did not hold:\n" + report(text));
        }
        assertTrue(text.contains("JVFS-CONFINE: " + ATTACKS.size() + " attacks, 0 escaped"), report(text));
        assertEquals(before, snapshot(outside), "something outside the share changed:\n" + report(text));
        assertEquals(List.of(), bugs, "attacks must be refused with errnos, not by bugs");
        for (String hard : List.of("hard0", "hard1", "hard2", "hard-empty")) {
            Path h = races.resolve(hard);
            assertTrue(Files.notExists(h) || Files.isSymbolicLink(h), hard + " on the host is not the symlink it was linked from");
        }
    }

    private static String report(String console) {
        StringBuilder out = new StringBuilder();
        console.lines().filter(l -> l.startsWith("CONFINE")).forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** Serves {@code fs} to a guest running {@code image}; {@code bugs} hears of every request that met a bug. */
    private GuestVm.Console serve(FuseFilesystem fs, GuestImage image, BiConsumer<Integer, Throwable> bugs)
            throws Exception {
        return InProcessShare.serve(fs, new RequestObserver() {
            @Override
            public void served(int opcode, int errno, long nanos, long payloadBytes) {
            }

            @Override
            public void failed(int opcode, Throwable bug) {
                bugs.accept(opcode, bug);
            }
        }, image, tmp, "confine");
    }

    private static void exchange(Path a, Path b) throws PosixException {
        Fs.renameat2(AtFlags.AT_FDCWD, a.toString(), AtFlags.AT_FDCWD, b.toString(), RenameFlags.RENAME_EXCHANGE);
    }

    /**
     * A symlink to outside appears and goes where the overlay's copy-up will make its upper
     * directory (until the copy-up has made it).
     */
    private static void flap(Path where, Path outside) throws IOException {
        if (Files.notExists(where, LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(where, outside);
        } else if (Files.isSymbolicLink(where)) {
            Files.delete(where);
        }
    }

    /** A host thread repeating one change until closed. */
    private static final class Swapper implements AutoCloseable {
        interface Change {
            void run() throws Exception;
        }

        final AtomicLong count = new AtomicLong();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread thread;

        Swapper(Change change) {
            thread = new Thread(() -> {
                while (!stop.get()) {
                    try {
                        change.run();
                        count.incrementAndGet();
                    } catch (Exception e) {
                        // the guest moved or removed it: try again
                    }
                }
            }, "confine-race");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            stop.set(true);
            thread.join(10_000);
        }
    }

    /** Everything about the outside tree that an escape could change. */
    private static String snapshot(Path dir) throws IOException, InterruptedException {
        return InProcessShare.sh("cd " + dir + " && find . -printf '%p %y %m %U %G %s %T@ %C@ %n %l\\n' | sort"
                + " && find . -type f -print0 | sort -z | xargs -0 -r md5sum"
                + " && getfattr -R -P -h -d -m - -e hex . 2>/dev/null; true");
    }
}

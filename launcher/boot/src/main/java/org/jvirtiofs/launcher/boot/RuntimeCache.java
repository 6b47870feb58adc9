package org.jvirtiofs.launcher.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where a start's bundles and framework storage live. Per bundle set ({@link Embedded#key()}),
 * {@code ROOT/NAME-KEY/} holds the unpacked JARs ({@code bundles/}, written once by one start at a
 * time and renamed into place whole) and up to {@value #SLOTS} framework storage areas ({@code storage-N/}), each taken
 * by one process at a time through a lock on {@code storage-N.lock}, so daemons starting together
 * never share one. A storage area is restored only if the process before left it with a clean
 * stop on the same Java ({@code storage-N/kept}, removed while it is in use): one that was killed
 * is made afresh.
 *
 * <p>Where the cache cannot be written, or all its storage areas are in use, a start gets
 * temporary ones, deleted when it ends: slower, never a failure.
 */
final class RuntimeCache {
    static final int SLOTS = 8;
    /** Bundle sets kept besides the one starting: those of JARs built before it. */
    static final int OTHERS_KEPT = 2;
    static final String KEPT = "kept";

    private final Path bundles;
    private final Path storage;
    private final boolean restore;
    private final Path marker;
    private final String stamp;
    private final List<Path> temporary;
    /** Holds the storage area's lock until {@link #finish}; null for a temporary area. */
    private final FileChannel lock;
    private boolean finished;

    private RuntimeCache(Path bundles, Path storage, boolean restore, Path marker, String stamp, List<Path> temporary,
            FileChannel lock) {
        this.bundles = bundles;
        this.storage = storage;
        this.restore = restore;
        this.marker = marker;
        this.stamp = stamp;
        this.temporary = temporary;
        this.lock = lock;
    }

    /** The cache in {@code root} for the bundle set {@code jar} carries, or temporary areas if it cannot be used. */
    static RuntimeCache open(Path jar, Embedded embedded, Path root) throws IOException {
        Path dir = root.resolve(embedded.name() + "-" + embedded.key());
        Path bundles = dir.resolve("bundles");
        boolean newSet;
        try {
            Files.createDirectories(dir);
            newSet = !complete(bundles, embedded);
            if (newSet) {
                unpack(jar, embedded, dir, bundles);
            }
        } catch (IOException e) {
            Path tmp = Files.createTempDirectory(embedded.name() + "-runtime");
            Path unpacked = Files.createDirectory(tmp.resolve("bundles"));
            unpack(jar, embedded, unpacked);
            return temporary(unpacked, tmp, embedded);
        }
        try {
            for (int slot = 0; slot < SLOTS; slot++) {
                RuntimeCache taken = take(dir, slot, bundles, embedded);
                if (taken != null) {
                    if (newSet) {
                        // the first start of a new build: older builds' sets are likely stale now
                        removeOlderSets(root, embedded, dir);
                    }
                    return taken;
                }
            }
        } catch (IOException e) {
            // a storage area that cannot be used: a temporary one serves as well
        }
        return temporary(bundles, Files.createTempDirectory(embedded.name() + "-storage"), embedded);
    }

    private static RuntimeCache temporary(Path bundles, Path tmp, Embedded embedded) throws IOException {
        Path storage = Files.createDirectories(tmp.resolve("storage"));
        return new RuntimeCache(bundles, storage, false, null, stamp(embedded), List.of(tmp), null);
    }

    /** Storage area {@code slot} if no other process holds it, else null. */
    private static RuntimeCache take(Path dir, int slot, Path bundles, Embedded embedded) throws IOException {
        FileChannel channel = FileChannel.open(dir.resolve("storage-" + slot + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        if (!tryLock(channel)) {
            channel.close();
            return null;
        }
        try {
            Path storage = dir.resolve("storage-" + slot);
            Path marker = storage.resolve(KEPT);
            boolean restore = isKept(marker, stamp(embedded));
            if (restore) {
                Files.delete(marker); // in use: a process killed from here on leaves no marker
            } else {
                deleteTree(storage);
            }
            Files.createDirectories(storage);
            Files.setLastModifiedTime(dir, FileTime.fromMillis(System.currentTimeMillis()));
            return new RuntimeCache(bundles, storage, restore, marker, stamp(embedded), List.of(), channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** The unpacked JARs: the framework and every bundle, by their file names. */
    Path bundles() {
        return bundles;
    }

    Path storage() {
        return storage;
    }

    /** Whether {@link #storage()} holds the installed bundles, as a clean stop left them. */
    boolean restore() {
        return restore;
    }

    /**
     * The framework has stopped: a clean stop leaves the storage to be restored; temporary areas go.
     * Both the main thread and the shutdown hook call it; the second waits for the first, since the
     * JVM halts as soon as the hook returns, which would cut the marker's write short.
     */
    synchronized void finish(boolean clean) {
        if (finished) {
            return;
        }
        finished = true;
        try {
            if (clean && marker != null) {
                Path written = marker.resolveSibling(KEPT + ".tmp");
                Files.writeString(written, stamp, StandardCharsets.UTF_8);
                Files.move(written, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            for (Path dir : temporary) {
                deleteTree(dir);
            }
        } catch (IOException e) {
            // the next start makes a fresh storage area instead: slower, not wrong
        } finally {
            release();
        }
    }

    /** Lets the next start take the storage area: the framework that used it has stopped. */
    private void release() {
        if (lock != null) {
            try {
                lock.close();
            } catch (IOException e) {
                // the lock goes with the process anyway
            }
        }
    }

    private static boolean tryLock(FileChannel channel) throws IOException {
        try {
            FileLock lock = channel.tryLock();
            return lock != null;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it already
        }
    }

    /**
     * What a kept storage must have been left by: the same bundle set on the same Java. The framework
     * resolved its bundles against that Java's packages and execution environments; another Java,
     * whose may differ, starts from a fresh storage instead of trusting the framework to notice.
     */
    static String stamp(Embedded embedded) {
        return embedded.key() + " " + System.getProperty("java.home") + " " + System.getProperty("java.vm.version");
    }

    private static boolean isKept(Path marker, String stamp) {
        try {
            return stamp.equals(Files.readString(marker, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Unpacks the bundle set into {@code bundles}, whole or not at all, unless another start did.
     * Starts of a new build often begin together (bin/launch's class-data training start and the
     * first real one): they take turns through {@code bundles.lock}, and only an incomplete copy is
     * ever replaced, never one that another start may already be loading classes from.
     */
    private static void unpack(Path jar, Embedded embedded, Path dir, Path bundles) throws IOException {
        synchronized (RuntimeCache.class) { // file locks are per process: threads of one take turns here
            try (FileChannel channel = FileChannel.open(dir.resolve("bundles.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock turn = channel.lock()) {
                if (complete(bundles, embedded)) {
                    return; // another start unpacked it while this one waited
                }
                Path tmp = Files.createTempDirectory(dir, "bundles.");
                try {
                    unpack(jar, embedded, tmp);
                    deleteTree(bundles); // incomplete: whatever used it is broken already
                    Files.move(tmp, bundles, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    deleteTree(tmp);
                }
            }
        }
        if (!complete(bundles, embedded)) {
            throw new IOException("the bundles unpacked in " + bundles + " are incomplete");
        }
    }

    private static boolean complete(Path bundles, Embedded embedded) throws IOException {
        if (!Files.isDirectory(bundles)) {
            return false;
        }
        for (Embedded.Bundle bundle : embedded.bundles()) {
            Path file = bundles.resolve(bundle.fileName());
            if (!Files.isRegularFile(file) || Files.size(file) != bundle.size()) {
                return false;
            }
        }
        return Files.isRegularFile(bundles.resolve(Embedded.fileName(embedded.framework())));
    }

    private static void unpack(Path jar, Embedded embedded, Path into) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(embedded.framework());
        for (Embedded.Bundle b : embedded.bundles()) {
            entries.add(b.entry());
        }
        try (JarFile file = new JarFile(jar.toFile(), false)) {
            for (String entry : entries) {
                try (InputStream in = file.getInputStream(file.getEntry(entry))) {
                    Files.copy(in, into.resolve(Embedded.fileName(entry)), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Removes the sets of older JARs of this name, beyond the few newest, that no process is using. */
    private static void removeOlderSets(Path root, Embedded embedded, Path current) {
        List<Path> others;
        try (Stream<Path> list = Files.list(root)) {
            others = list.filter(p -> !p.equals(current))
                    .filter(p -> p.getFileName().toString().matches(
                            Pattern.quote(embedded.name()) + "-[0-9a-f]{16}"))
                    .sorted(Comparator.comparing(RuntimeCache::lastModified).reversed())
                    .toList();
        } catch (IOException e) {
            return;
        }
        for (Path old : others.subList(Math.min(OTHERS_KEPT, others.size()), others.size())) {
            removeIfUnused(old);
        }
    }

    private static void removeIfUnused(Path dir) {
        List<FileChannel> held = new ArrayList<>();
        try {
            for (int slot = 0; slot < SLOTS; slot++) {
                Path lockFile = dir.resolve("storage-" + slot + ".lock");
                if (!Files.exists(lockFile)) {
                    continue;
                }
                FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
                held.add(channel);
                if (!tryLock(channel)) {
                    return; // a process of that older JAR is still running
                }
            }
            deleteTree(dir);
        } catch (IOException e) {
            // left for a later start
        } finally {
            for (FileChannel channel : held) {
                try {
                    channel.close();
                } catch (IOException e) {
                    // closing a lock file cannot lose anything
                }
            }
        }
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.delete(p);
                } catch (NoSuchFileException e) {
                    // gone already
                }
            }
        }
    }
}

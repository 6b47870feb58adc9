package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jvirtiofs.api.CacheMode;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FilesystemFactory;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.posix.ThisProcess;
import org.junit.jupiter.api.Test;

/** Options parsing and the factory: defaults, typed values, clear errors. */
class PassthroughOptionsTest {

    private static void assertRejected(String option, Map<String, ?> options) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PassthroughOptions.parse(options));
        assertTrue(e.getMessage().startsWith(option), e.getMessage());
    }

    @Test
    void defaultsAreAutoCacheReadWriteWithXattrsAndFds() {
        PassthroughOptions o = PassthroughOptions.parse(Map.of("source", "/srv/share/", "service.pid", "x"));
        assertEquals(Path.of("/srv/share"), o.source());
        assertEquals(CacheMode.AUTO, o.cache());
        assertFalse(o.writeback() || o.readonly() || o.announceSubmounts());
        assertTrue(o.xattr());
        assertTrue(o.uids().isIdentity() && o.gids().isIdentity());
        assertEquals(InodeFileHandles.NEVER, o.inodeFileHandles());
        assertTrue(o.posixLocks() && o.flock(), "locks are taken on the host");
    }

    @Test
    void everyOptionIsReadFromStringsOrTypedValues() throws Exception {
        PassthroughOptions o = PassthroughOptions.parse(Map.of("source", "/s", "cache", "Always",
                "writeback", Boolean.TRUE, "readonly", "true", "xattr", "off",
                "uid-map", "0:100000:65536", "squash-gid", 100, "announce-submounts", "yes",
                "inode-file-handles", "prefer"));
        assertEquals(CacheMode.ALWAYS, o.cache());
        assertTrue(o.writeback() && o.readonly() && o.announceSubmounts());
        assertFalse(o.xattr());
        assertEquals(100005, o.uids().toHost(5));
        assertEquals(5, o.uids().toGuest(100005));
        assertEquals(100, o.gids().toHost(7));
        assertEquals(InodeFileHandles.PREFER, o.inodeFileHandles());
        PassthroughOptions locks = PassthroughOptions.parse(Map.of("source", "/s", "posix-locks", "false",
                "flock", Boolean.FALSE));
        assertFalse(locks.posixLocks() || locks.flock());
        assertTrue(locks.zeroMessageOpen(), "on by default");
        assertFalse(PassthroughOptions.parse(Map.of("source", "/s", "zero-message-open", "no")).zeroMessageOpen());
        assertFalse(locks.directWrite(), "off by default");
        assertTrue(PassthroughOptions.parse(Map.of("source", "/s", "direct-write", "on")).directWrite());
    }

    @Test
    void malformedOptionsAreNamedWithTheirValue() {
        assertRejected("source", Map.of());
        assertRejected("source", Map.of("source", "relative/dir"));
        assertRejected("cache", Map.of("source", "/s", "cache", "sometimes"));
        assertRejected("readonly", Map.of("source", "/s", "readonly", "maybe"));
        assertRejected("posix-locks", Map.of("source", "/s", "posix-locks", "sometimes"));
        assertRejected("flock", Map.of("source", "/s", "flock", "2"));
        assertRejected("zero-message-open", Map.of("source", "/s", "zero-message-open", "later"));
        assertRejected("direct-write", Map.of("source", "/s", "direct-write", "sometimes"));
        assertRejected("uid-map", Map.of("source", "/s", "uid-map", "1:2"));
        assertRejected("gid-map", Map.of("source", "/s", "gid-map", "1:2:0"));
        assertRejected("squash-uid", Map.of("source", "/s", "squash-uid", "-1"));
        assertRejected("inode-file-handles", Map.of("source", "/s", "inode-file-handles", "always"));
        assertRejected("xattrmap", Map.of("source", "/s", "xattrmap", ":prefix:everywhere:::"));
        assertRejected("uid-map", Map.of("source", "/s", "uid-map", "forbid-guest:1"));
    }

    @Test
    void theFactoryRefusesMissingOrNonDirectorySources() throws Exception {
        FilesystemFactory factory = new PassthroughFilesystemFactory();
        assertEquals("passthrough", factory.type());
        Path base = TestShare.newBase();
        FsException missing = assertThrows(FsException.class,
                () -> factory.create(Map.of("source", base.resolve("nope").toString())));
        assertEquals(Errno.ENOENT, missing.errno());
        Path file = Files.writeString(base.resolve("file"), "x");
        assertEquals(Errno.ENOTDIR, assertThrows(FsException.class,
                () -> factory.create(Map.of("source", file.toString()))).errno());
        try (FuseFilesystem fs = factory.create(Map.of("source", base.toString()))) {
            assertTrue(fs.lookup(org.jvirtiofs.api.Context.KERNEL, FuseFilesystem.FUSE_ROOT_ID,
                    org.jvirtiofs.api.FileName.of("file")).attr().isRegularFile());
        }
    }

    /** A share keeping a descriptor per inode says at start how many the limit lets a guest hold. */
    @Test
    void theStartLineNamesTheOpenFilesLimitWhereInodesKeepDescriptors() throws Exception {
        Path base = TestShare.newBase();
        String withFds = startLine(Map.of("source", base.toString()));
        assertTrue(withFds.contains(", open-files limit " + ThisProcess.openFilesLimit()
                + " (about as many files as a guest can hold)"), withFds);
        String withHandles = startLine(Map.of("source", base.toString(), "inode-file-handles", "prefer"));
        assertFalse(withHandles.contains("open-files limit"), withHandles);
    }

    private static String startLine(Map<String, ?> options) throws Exception {
        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try (FuseFilesystem fs = new PassthroughFilesystemFactory().create(options)) {
            return log.toString(StandardCharsets.UTF_8);
        } finally {
            System.setErr(err);
        }
    }
}

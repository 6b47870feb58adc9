package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/** The uid/gid translation forms seen by real programs through a /dev/fuse mount. */
class IdMapMountTest {
    private MountedShare share;

    @AfterEach
    void unmount() {
        if (share != null) {
            share.close();
        }
    }

    private void mount(String uidMap, String gidMap) throws Exception {
        share = new MountedShare(o -> PassthroughOptions.parse(Map.of("source", o.source().toString(),
                "cache", "never", "uid-map", uidMap, "gid-map", gidMap)));
        Files.setPosixFilePermissions(share.source, PosixFilePermissions.fromString("rwxrwxrwx"));
    }

    private String run(String script) throws Exception {
        return Programs.run(share.mnt, "bash", "-c", script + " 2>&1; echo rc=$?");
    }

    private Object hostOwner(String name) throws Exception {
        return Files.getAttribute(share.source.resolve(name), "unix:uid", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void chownToAForbiddenGuestIdIsNotPermitted() throws Exception {
        mount("forbid-guest:5000:10", "map:0:0:1");
        Files.writeString(share.source.resolve("f"), "x");
        assertEquals("chown: changing ownership of 'f': Operation not permitted\nrc=1\n", run("chown 5003 f"));
        assertEquals(0, hostOwner("f"));
        assertEquals("rc=0\n", run("chown 5010 f"), "just past the range");
        assertEquals(5010, hostOwner("f"));
    }

    @Test
    void aForbiddenCallerCannotCreate() throws Exception {
        mount("forbid-guest:0:1", "forbid-guest:1:1");
        assertEquals("touch: cannot touch 'new': Operation not permitted\nrc=1\n", run("touch new"));
        assertEquals(false, Files.exists(share.source.resolve("new")));
    }

    @Test
    void squashedGuestIdsCreateFilesOwnedByTheTargetAndSquashedHostIdsShowAsTheirTarget() throws Exception {
        mount("squash-guest:0:1234:100,squash-host:1000:42:100", "squash-guest:0:4321:100");
        assertEquals("rc=0\n", run("touch new"));
        assertEquals(1234, hostOwner("new"));
        assertEquals(4321, Files.getAttribute(share.source.resolve("new"), "unix:gid"));
        Files.writeString(share.source.resolve("hosts"), "x");
        Files.setAttribute(share.source.resolve("hosts"), "unix:uid", 1050);
        assertEquals("42 1234\nrc=0\n", run("stat -c %u hosts new | tr '\\n' ' ' | sed 's/ $/\\n/'"));
    }

    @Test
    void guestAndHostFormsEachTranslateOneWay() throws Exception {
        mount("guest:2000:3000:10,host:3000:7000:10", "map:0:0:1");
        Files.writeString(share.source.resolve("f"), "x");
        assertEquals("7001\nrc=0\n", run("chown 2001 f && stat -c %u f"));
        assertEquals(3001, hostOwner("f"));
    }
}

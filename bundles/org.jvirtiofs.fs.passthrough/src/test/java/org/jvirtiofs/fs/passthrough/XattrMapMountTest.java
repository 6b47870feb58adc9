package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/** An xattrmap as setfattr and getfattr see it through a /dev/fuse mount, and the host below. */
class XattrMapMountTest {
    private MountedShare share;

    @BeforeEach
    void mount() throws Exception {
        share = new MountedShare(o -> PassthroughOptions.parse(Map.of("source", o.source().toString(),
                "xattrmap", ":bad:client:security.:: :prefix:all::user.virtiofs.:")));
    }

    @AfterEach
    void unmount() {
        share.close();
    }

    private String run(String script) throws Exception {
        return Programs.run(share.mnt, "bash", "-c", script + " 2>&1; echo rc=$?");
    }

    private List<String> hostNames(String file) throws Exception {
        return Files.getFileAttributeView(share.source.resolve(file), UserDefinedFileAttributeView.class).list();
    }

    @Test
    void guestNamesArePrefixedOnTheHostAndListedBackUnprefixed() throws Exception {
        Files.writeString(share.source.resolve("f"), "x");
        assertEquals("rc=0\n", run("setfattr -n trusted.x -v 1 f && setfattr -n user.y -v 2 f"));
        assertEquals(List.of("virtiofs.trusted.x", "virtiofs.user.y"), hostNames("f").stream().sorted().toList());
        assertEquals("trusted.x=\"1\"\nuser.y=\"2\"\nrc=0\n",
                run("getfattr --absolute-names -d -m - f | grep -v '^#' | grep . | sort"));
        assertEquals("rc=0\n", run("setfattr -x trusted.x f"));
        assertEquals(List.of("virtiofs.user.y"), hostNames("f"));
    }

    @Test
    void hostNamesOutsideThePrefixAreHidden() throws Exception {
        Files.writeString(share.source.resolve("f"), "x");
        Files.getFileAttributeView(share.source.resolve("f"), UserDefinedFileAttributeView.class)
                .write("host.only", java.nio.ByteBuffer.wrap(new byte[] {'h'}));
        assertEquals("rc=0\n", run("getfattr --absolute-names -d -m - f | grep -v '^#' | grep ."
                + " ; getfattr -n user.host.only f >/dev/null 2>&1 && echo visible; true"));
    }

    @Test
    void aBadRuleRefusesTheNameWithEperm() throws Exception {
        Files.writeString(share.source.resolve("f"), "x");
        assertEquals("setfattr: f: Operation not permitted\nrc=1\n", run("setfattr -n security.evil -v 1 f"));
        assertEquals(List.of(), hostNames("f"));
    }
}

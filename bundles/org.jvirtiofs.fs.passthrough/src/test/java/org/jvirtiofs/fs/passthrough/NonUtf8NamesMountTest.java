package org.jvirtiofs.fs.passthrough;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.jvirtiofs.api.CacheMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.jvirtiofs.devfuse.Programs;

/**
 * Host file names that are not UTF-8 (0xFF 0xFE never occur in UTF-8) through a /dev/fuse mount:
 * listed, stat'ed, read, renamed and removed with their exact bytes, and created by the guest.
 */
class NonUtf8NamesMountTest {
    /** Prints each name in the current directory as hex bytes, one per line, sorted. */
    private static final String LIST = "for f in *; do printf '%s' \"$f\" | od -An -tx1 | tr -d ' \\n'; echo; done | sort";

    private MountedShare share;

    @BeforeEach
    void mount() throws Exception {
        share = new MountedShare(o -> o.withCache(CacheMode.NEVER));
    }

    @AfterEach
    void unmount() {
        share.close();
    }

    private static String bash(Path dir, String script) throws Exception {
        return Programs.run(dir, "bash", "-c", script + " 2>&1; echo rc=$?");
    }

    @Test
    void aHostNameThatIsNotUtf8IsListedStatReadRenamedAndRemoved() throws Exception {
        bash(share.source, "printf hostdata > $'h\\xff\\xfe'; mkdir $'d\\xfe'; printf in > $'d\\xfe/i\\xff'");
        assertEquals("64fe\n68fffe\nrc=0\n", bash(share.mnt, LIST));
        assertEquals("8 regular file\nhostdata\nin\nrc=0\n",
                bash(share.mnt, "stat -c '%s %F' $'h\\xff\\xfe' && cat $'h\\xff\\xfe' && echo && cat $'d\\xfe/i\\xff' && echo"));
        assertEquals("rc=0\n", bash(share.mnt, "mv $'h\\xff\\xfe' $'r\\xff' && mv $'d\\xfe' $'e\\xc3'"));
        assertEquals("65c3\n72ff\nrc=0\n", bash(share.source, LIST), "the host has the new exact bytes");
        assertEquals("rc=0\n", bash(share.mnt, "rm $'r\\xff' $'e\\xc3/i\\xff' && rmdir $'e\\xc3'"));
        assertEquals("2a\nrc=0\n", bash(share.source, LIST), "empty: the glob stays '*'");
    }

    @Test
    void aGuestCreatesNamesThatAreNotUtf8() throws Exception {
        assertEquals("rc=0\n", bash(share.mnt, "printf g > $'g\\xfe' && mkdir $'s\\xff' && ln -s $'t\\xff' $'l\\xfe'"
                + " && ln $'g\\xfe' $'k\\xff'"));
        assertEquals("67fe\n6bff\n6cfe\n73ff\nrc=0\n", bash(share.source, LIST));
        assertEquals("74ff0a\nrc=0\n", bash(share.source, "readlink $'l\\xfe' | od -An -tx1 | tr -d ' \\n'; echo"));
        assertEquals("74ff0a\nrc=0\n", bash(share.mnt, "readlink $'l\\xfe' | od -An -tx1 | tr -d ' \\n'; echo"));
    }
}

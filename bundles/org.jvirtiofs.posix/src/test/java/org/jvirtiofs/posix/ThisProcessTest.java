package org.jvirtiofs.posix;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class ThisProcessTest extends NativeTestBase {

    @Test
    void getpidIsTheJvmsPid() {
        assertEquals(ProcessHandle.current().pid(), ThisProcess.getpid());
    }

    @Test
    void effectiveIdsAreRootsAsTheTestsRunAsRoot() {
        // the native tests need root (mount, file handles); these calls cannot fail
        assertEquals(0, ThisProcess.geteuid());
        assertEquals(0, ThisProcess.getegid());
    }

    @Test
    void setfsuidAndSetfsgidChangeOnlyThisThreadsFileCredentials() throws Exception {
        Fs.fchmodat(AtFlags.AT_FDCWD, dir.toString(), 0777, 0); // uid 1234 has no capabilities to bypass modes
        int previousUid = ThisProcess.setfsuid(1234);
        int previousGid = ThisProcess.setfsgid(5678);
        try {
            assertEquals(1234, ThisProcess.setfsuid(1234)); // setfsuid returns the current value
            int fd = track(Fs.openat(AtFlags.AT_FDCWD, dir.resolve("made-as-1234").toString(),
                    OpenFlags.O_CREAT | OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0600));
            Stat st = Fs.fstat(fd);
            assertEquals(1234, st.uid());
            assertEquals(5678, st.gid());
        } finally {
            ThisProcess.setfsuid(previousUid);
            ThisProcess.setfsgid(previousGid);
        }
        assertEquals(0, ThisProcess.setfsuid(0));
    }

    @Test
    void rlimitNofileCanBeLoweredAndRestored() throws Exception {
        Rlimit saved = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        assertTrue(saved.cur() > 0 && (saved.max() == Rlimit.INFINITY || saved.max() >= saved.cur()));
        try {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(saved.cur() - 1, saved.max()));
            assertEquals(saved.cur() - 1, ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE).cur());
        } finally {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, saved);
        }
        assertEquals(saved, ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE));
    }

    @Test
    void rlimitCallsReportEinval() {
        assertErrno(Errno.EINVAL, () -> ThisProcess.getrlimit(9999));
        assertErrno(Errno.EINVAL, () -> ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(10, 5))); // cur > max
    }
}

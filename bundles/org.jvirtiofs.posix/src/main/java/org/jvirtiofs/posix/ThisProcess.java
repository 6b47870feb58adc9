package org.jvirtiofs.posix;

import java.nio.ByteBuffer;
import org.jvirtiofs.posix.jnr.Native;
import org.jvirtiofs.posix.jnr.PosixCalls;
import org.jvirtiofs.posix.jnr.Scratch;

/** The calling process and thread: pid, file-system credentials and resource limits. */
public final class ThisProcess {
    private ThisProcess() {
    }

    /** getpid(2). */
    public static int getpid() {
        return PosixCalls.getpid();
    }

    /** geteuid(2): the effective user id (it cannot fail). */
    public static int geteuid() {
        return PosixCalls.geteuid();
    }

    /** getegid(2): the effective group id (it cannot fail). */
    public static int getegid() {
        return PosixCalls.getegid();
    }

    /**
     * setfsuid(2) for the calling thread only (so a worker can act as a client's uid):
     * returns the previous fsuid. It reports no errors: check by calling it again.
     */
    public static int setfsuid(int fsuid) {
        return Native.libc().setfsuid(fsuid);
    }

    /** setfsgid(2) for the calling thread only: returns the previous fsgid. */
    public static int setfsgid(int fsgid) {
        return Native.libc().setfsgid(fsgid);
    }

    /**
     * The soft open-files limit now, as a log line says it: a number, "unlimited", or "unknown"
     * if it cannot be read.
     */
    public static String openFilesLimit() {
        try {
            Rlimit nofile = getrlimit(Rlimit.RLIMIT_NOFILE);
            return nofile.cur() == Rlimit.INFINITY ? "unlimited" : String.valueOf(nofile.cur());
        } catch (PosixException | RuntimeException unknown) {
            return "unknown";
        }
    }

    /** getrlimit(2), e.g. of {@link Rlimit#RLIMIT_NOFILE}. */
    public static Rlimit getrlimit(int resource) throws PosixException {
        Scratch scratch = Scratch.get();
        ByteBuffer buf = scratch.struct(16);
        if (Native.early().getrlimit(resource, scratch.structAddress(0)) < 0) {
            throw Native.error("getrlimit", Integer.toString(resource));
        }
        return new Rlimit(buf.getLong(0), buf.getLong(8));
    }

    /** setrlimit(2); raising the hard limit needs CAP_SYS_RESOURCE. */
    public static void setrlimit(int resource, Rlimit limit) throws PosixException {
        Scratch scratch = Scratch.get();
        scratch.struct(16).putLong(0, limit.cur()).putLong(8, limit.max());
        if (Native.early().setrlimit(resource, scratch.structAddress(0)) < 0) {
            throw Native.error("setrlimit", Integer.toString(resource));
        }
    }
}

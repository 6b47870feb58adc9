package org.jvirtiofs.posix.jnr;

import com.kenai.jffi.MemoryIO;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.LibraryOption;
import jnr.ffi.Runtime;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.jvirtiofs.posix.PosixException;

/** The one place the native libraries are loaded and errno is read. */
public final class Native {
    private static final String X86ASM_PROPERTY = "jnr.ffi.x86asm.enabled";

    static {
        // jnr-ffi 2.3.7's x86-64 assembler stubs drop the sixth argument of a call (strace shows
        // garbage for copy_file_range's flags and mmap's offset); its generic stubs pass all six.
        // The flag is read once, when jnr-ffi first builds a stub: hence here, before any loading.
        if (System.getProperty(X86ASM_PROPERTY) == null) {
            System.setProperty(X86ASM_PROPERTY, "false");
        }
    }

    private static final EarlyLibC EARLY = bind(EarlyLibC.class);
    private static final Runtime RUNTIME = Runtime.getRuntime(EARLY);
    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    static {
        DescriptorShortage.load(); // now: at the open-files limit its class file could not be opened
    }

    private Native() {
    }

    /** The libc calls a daemon makes before its socket exists, and the first it makes after. */
    public static EarlyLibC early() {
        return EARLY;
    }

    /**
     * The other libc calls jnr-posix lacks: bound by the first call that needs them, or by
     * NativeRuntime's thread before (see there).
     */
    public static LibC libc() {
        return LibCHolder.LIBC;
    }

    /** Holds LibC, so that the early binding does not wait for it. */
    private static final class LibCHolder {
        static final LibC LIBC = bind(LibC.class);
    }

    private static <T> T bind(Class<T> calls) {
        return LibraryLoader.create(calls).option(LibraryOption.SaveError, Boolean.TRUE).load("c");
    }

    /** jnr-posix, for the calls it has: loaded by the first call that needs it (see NativeRuntime). */
    static POSIX posix() {
        return PosixHolder.POSIX;
    }

    /** Holds jnr-posix, so that loading the libc bindings does not wait for jnr-posix's. */
    private static final class PosixHolder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX(new QuietHandler());
    }

    /** The errno the last native call on this thread saved; read it before any other call. */
    public static int errno() {
        return LastError.getLastError(RUNTIME);
    }

    /**
     * An exception for the call that just failed on this thread. Running out of descriptors is
     * also said in the log ({@link DescriptorShortage}), since the guest cannot tell why.
     */
    public static PosixException error(String call, String detail) {
        return checked(new PosixException(errno(), call, detail));
    }

    /** An exception for a failed call on a descriptor. */
    public static PosixException error(String call, int fd) {
        return checked(new PosixException(errno(), call, Integer.toString(fd)));
    }

    private static PosixException checked(PosixException e) {
        DescriptorShortage.check(e);
        return e;
    }

    /** Throws IllegalArgumentException unless the buffer is direct: native calls use its memory in place. */
    public static ByteBuffer requireDirect(ByteBuffer buffer) {
        if (!buffer.isDirect()) {
            throw new IllegalArgumentException("a direct ByteBuffer is required");
        }
        return buffer;
    }

    /** The native address of a direct buffer's first byte (not of its position). */
    public static long address(ByteBuffer direct) {
        return MEMORY.getDirectBufferAddress(requireDirect(direct));
    }

    /** A little-endian direct buffer over native memory this process owns, without copying. */
    public static ByteBuffer view(long address, int capacity) {
        return MEMORY.newDirectByteBuffer(address, capacity).order(ByteOrder.LITTLE_ENDIAN);
    }
}

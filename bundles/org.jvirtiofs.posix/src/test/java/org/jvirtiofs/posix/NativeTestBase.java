package org.jvirtiofs.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Shared fixture: a temp dir on disk, fds closed after each test, errno assertions. */
abstract class NativeTestBase {
    @TempDir(factory = OnDiskTempDir.class)
    Path dir;

    private final List<Integer> fds = new ArrayList<>();

    @AfterEach
    void closeFds() throws PosixException {
        for (int fd : fds) {
            Io.close(fd);
        }
        fds.clear();
    }

    /** Closes {@code fd} after the test. */
    int track(int fd) {
        fds.add(fd);
        return fd;
    }

    /** Stops tracking an fd the test closed itself. */
    void untrack(int fd) {
        fds.remove(Integer.valueOf(fd));
    }

    /** An O_PATH fd on the temp dir. */
    int dirfd() throws PosixException {
        return track(Fs.openat(AtFlags.AT_FDCWD, dir.toString(),
                OpenFlags.O_PATH | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0));
    }

    Path file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    int open(Path path, int flags) throws PosixException {
        return track(Fs.openat(AtFlags.AT_FDCWD, path.toString(), flags | OpenFlags.O_CLOEXEC, 0644));
    }

    static ByteBuffer direct(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
    }

    static String text(ByteBuffer flipped) {
        byte[] bytes = new byte[flipped.remaining()];
        flipped.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Asserts the call fails with exactly {@code errno}, comparing names for readable failures. */
    static PosixException assertErrno(int errno, Executable call) {
        PosixException e = assertThrows(PosixException.class, call);
        assertEquals(Errno.name(errno), Errno.name(e.errno()), e.getMessage());
        return e;
    }
}

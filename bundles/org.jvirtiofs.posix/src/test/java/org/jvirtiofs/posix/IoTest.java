package org.jvirtiofs.posix;

import static org.jvirtiofs.posix.OpenFlags.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class IoTest extends NativeTestBase {

    @Test
    void closeReleasesTheFdAndASecondCloseFailsWithEbadf() throws Exception {
        int fd = Fs.openat(AtFlags.AT_FDCWD, file("a", "").toString(), O_RDONLY, 0);
        Io.close(fd);
        assertErrno(Errno.EBADF, () -> Io.close(fd));
    }

    @Test
    void dupSharesTheFilePosition() throws Exception {
        int fd = open(file("a", "abcdef"), O_RDONLY);
        int copy = track(Io.dup(fd));
        Io.read(fd, ByteBuffer.allocateDirect(2));
        ByteBuffer rest = ByteBuffer.allocateDirect(8);
        Io.read(copy, rest);
        assertEquals("cdef", text(rest.flip()));
        assertErrno(Errno.EBADF, () -> Io.dup(99_999));
    }

    @Test
    void fcntlReadsAndSetsStatusFlags() throws Exception {
        int fd = open(file("a", ""), O_RDWR);
        assertEquals(O_RDWR, Io.fcntl(fd, FcntlFlags.F_GETFL, 0) & O_ACCMODE);
        Io.fcntl(fd, FcntlFlags.F_SETFL, O_NONBLOCK);
        assertNotEquals(0, Io.fcntl(fd, FcntlFlags.F_GETFL, 0) & O_NONBLOCK);
        assertEquals(FcntlFlags.FD_CLOEXEC, Io.fcntl(fd, FcntlFlags.F_GETFD, 0));
        int copy = track(Io.fcntl(fd, FcntlFlags.F_DUPFD_CLOEXEC, 100));
        assertTrue(copy >= 100);
        assertErrno(Errno.EBADF, () -> Io.fcntl(99_999, FcntlFlags.F_GETFL, 0));
    }

    @Test
    void readAndWriteMoveBufferPositions() throws Exception {
        Path a = dir.resolve("a");
        int fd = open(a, O_RDWR | O_CREAT);
        ByteBuffer src = direct("xxhello");
        src.position(2);
        assertEquals(5, Io.write(fd, src));
        assertEquals(7, src.position());
        assertEquals("hello", Files.readString(a));
        ByteBuffer dst = ByteBuffer.allocateDirect(10).position(3);
        assertEquals(0, Io.read(fd, dst)); // at end of file
        Io.lseek(fd, 0, Whence.SEEK_SET);
        assertEquals(5, Io.read(fd, dst));
        assertEquals(8, dst.position());
        assertEquals("hello", text(dst.flip().position(3)));
    }

    @Test
    void readAndWriteReportEbadf() throws Exception {
        int readOnly = open(file("a", "x"), O_RDONLY);
        assertErrno(Errno.EBADF, () -> Io.write(readOnly, direct("y")));
        assertErrno(Errno.EBADF, () -> Io.read(99_999, ByteBuffer.allocateDirect(1)));
    }

    @Test
    void heapBuffersAreRefused() throws Exception {
        int fd = open(file("a", "x"), O_RDONLY);
        assertThrows(IllegalArgumentException.class, () -> Io.read(fd, ByteBuffer.allocate(4)));
    }

    @Test
    void preadAndPwriteUseTheOffsetAndBufferPosition() throws Exception {
        Path a = file("a", "0123456789");
        int fd = open(a, O_RDWR);
        ByteBuffer src = direct("--AB");
        src.position(2);
        assertEquals(2, Io.pwrite(fd, src, 4));
        assertEquals(4, src.position());
        assertEquals("0123AB6789", Files.readString(a));
        ByteBuffer dst = ByteBuffer.allocateDirect(6).position(2);
        assertEquals(4, Io.pread(fd, dst, 3));
        assertEquals(6, dst.position());
        assertEquals("3AB6", text(dst.flip().position(2)));
        assertEquals(0, Io.lseek(fd, 0, Whence.SEEK_CUR)); // the file position did not move
    }

    @Test
    void preadOnAPipeFailsWithEspipe() throws Exception {
        int[] pipe = Io.pipe2(O_CLOEXEC);
        track(pipe[0]);
        track(pipe[1]);
        assertErrno(Errno.ESPIPE, () -> Io.pread(pipe[0], ByteBuffer.allocateDirect(1), 0));
        assertErrno(Errno.ESPIPE, () -> Io.pwrite(pipe[1], direct("x"), 0));
    }

    @Test
    void pwritevGathersAndPreadvScattersAcrossSeveralBuffersAtAnOffset() throws Exception {
        Path a = file("a", "..........");
        int fd = open(a, O_RDWR);
        ByteBuffer first = direct("__ab");
        first.position(2);
        ByteBuffer second = direct("cde");
        assertEquals(5, Io.pwritev(fd, new ByteBuffer[] {first, second}, 3));
        assertEquals(4, first.position());
        assertEquals(3, second.position());
        assertEquals("...abcde..", Files.readString(a));

        ByteBuffer one = ByteBuffer.allocateDirect(5).position(3);  // room for 2
        ByteBuffer two = ByteBuffer.allocateDirect(2);
        ByteBuffer three = ByteBuffer.allocateDirect(8);
        assertEquals(7, Io.preadv(fd, new ByteBuffer[] {one, two, three}, 3));
        assertEquals(5, one.position());
        assertEquals(2, two.position());
        assertEquals(3, three.position());
        assertEquals("ab", text(one.flip().position(3)));
        assertEquals("cd", text(two.flip()));
        assertEquals("e..", text(three.flip()));
    }

    @Test
    void preadvAndPwritevReportErrors() throws Exception {
        int fd = open(file("a", "x"), O_RDONLY);
        assertErrno(Errno.EBADF, () -> Io.pwritev(fd, new ByteBuffer[] {direct("y")}, 0));
        assertErrno(Errno.EINVAL, () -> Io.preadv(fd, new ByteBuffer[] {ByteBuffer.allocateDirect(1)}, -1));
    }

    @Test
    void fsyncAndFdatasyncSucceedOnFilesAndFailOnBadFds() throws Exception {
        int fd = open(file("a", "x"), O_RDWR);
        Io.fsync(fd);
        Io.fdatasync(fd);
        assertErrno(Errno.EBADF, () -> Io.fsync(99_999));
        assertErrno(Errno.EBADF, () -> Io.fdatasync(99_999));
    }

    @Test
    void ftruncateResizesAndRefusesNegativeLengths() throws Exception {
        Path a = file("a", "0123456789");
        int fd = open(a, O_RDWR);
        Io.ftruncate(fd, 4);
        assertEquals("0123", Files.readString(a));
        assertErrno(Errno.EINVAL, () -> Io.ftruncate(fd, -1));
    }

    @Test
    void punchedHoleIsFoundWithSeekHoleAndSeekData() throws Exception {
        Path a = dir.resolve("sparse");
        int fd = open(a, O_RDWR | O_CREAT);
        int block = 1 << 20; // a megabyte keeps us clear of any block size
        // written data, not fallocated space: ext4 reports unwritten extents as holes
        ByteBuffer data = ByteBuffer.allocateDirect(3 * block);
        while (data.hasRemaining()) {
            Io.write(fd, data);
        }
        Io.fallocate(fd, FallocFlags.FALLOC_FL_PUNCH_HOLE | FallocFlags.FALLOC_FL_KEEP_SIZE, block, block);
        assertEquals(3L * block, Fs.fstat(fd).size());
        assertEquals(block, Io.lseek(fd, 0, Whence.SEEK_HOLE));
        assertEquals(2L * block, Io.lseek(fd, block, Whence.SEEK_DATA));
        assertErrno(Errno.ENXIO, () -> Io.lseek(fd, 3L * block, Whence.SEEK_DATA));
    }

    @Test
    void fallocateReportsEbadfAndEinval() throws Exception {
        int readOnly = open(file("a", "x"), O_RDONLY);
        assertErrno(Errno.EBADF, () -> Io.fallocate(readOnly, 0, 0, 10));
        int fd = open(dir.resolve("b"), O_RDWR | O_CREAT);
        assertErrno(Errno.EOPNOTSUPP, () -> Io.fallocate(fd, FallocFlags.FALLOC_FL_PUNCH_HOLE, 0, 10));
        assertErrno(Errno.EINVAL, () -> Io.fallocate(fd, 0, 0, 0));
    }

    @Test
    void lseekOnAPipeFailsWithEspipe() throws Exception {
        int[] pipe = Io.pipe2(O_CLOEXEC);
        track(pipe[0]);
        track(pipe[1]);
        assertErrno(Errno.ESPIPE, () -> Io.lseek(pipe[0], 0, Whence.SEEK_SET));
    }

    @Test
    void copyFileRangeCopiesBetweenOffsetsWithoutMovingPositions() throws Exception {
        int in = open(file("in", "0123456789"), O_RDONLY);
        Path outPath = file("out", "abcdefghij");
        int out = open(outPath, O_RDWR);
        assertEquals(4, Io.copyFileRange(in, 2, out, 5, 4));
        assertEquals("abcde2345j", Files.readString(outPath));
        assertEquals(0, Io.lseek(in, 0, Whence.SEEK_CUR));
        assertErrno(Errno.EBADF, () -> Io.copyFileRange(99_999, 0, out, 0, 1));
        int dirFd = open(dir, O_RDONLY | O_DIRECTORY);
        assertErrno(Errno.EISDIR, () -> Io.copyFileRange(dirFd, 0, out, 0, 1));
    }

    @Test
    void pipe2MakesAConnectedPairAndRefusesBadFlags() throws Exception {
        int[] pipe = Io.pipe2(O_CLOEXEC | O_NONBLOCK);
        track(pipe[0]);
        track(pipe[1]);
        Io.write(pipe[1], direct("ping"));
        ByteBuffer buf = ByteBuffer.allocateDirect(8);
        Io.read(pipe[0], buf);
        assertEquals("ping", text(buf.flip()));
        assertErrno(Errno.EAGAIN, () -> Io.read(pipe[0], ByteBuffer.allocateDirect(8)));
        assertErrno(Errno.EINVAL, () -> Io.pipe2(O_TRUNC));
    }

    @Test
    void pollWakesWhenAnEventfdIsWritten() throws Exception {
        int quiet = track(Memory.eventfd(0, MemFlags.EFD_CLOEXEC));
        int kicked = track(Memory.eventfd(0, MemFlags.EFD_CLOEXEC));
        int[] fds = {quiet, kicked};
        int[] events = {PollFlags.POLLIN, PollFlags.POLLIN};
        int[] revents = new int[2];
        assertEquals(0, Io.poll(fds, events, revents, 10));
        Thread writer = new Thread(() -> {
            try {
                Thread.sleep(50);
                Memory.eventfdWrite(kicked, 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertEquals(1, Io.poll(fds, events, revents, 5_000));
        writer.join();
        assertEquals(0, revents[0]);
        assertEquals(PollFlags.POLLIN, revents[1]);
    }

    @Test
    void pollOfMoreFdsThanTheLimitFailsWithEinval() throws Exception {
        Rlimit saved = ThisProcess.getrlimit(Rlimit.RLIMIT_NOFILE);
        ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, new Rlimit(64, saved.max()));
        try {
            int[] fds = new int[65];
            assertErrno(Errno.EINVAL, () -> Io.poll(fds, new int[65], new int[65], 0));
        } finally {
            ThisProcess.setrlimit(Rlimit.RLIMIT_NOFILE, saved);
        }
    }
}

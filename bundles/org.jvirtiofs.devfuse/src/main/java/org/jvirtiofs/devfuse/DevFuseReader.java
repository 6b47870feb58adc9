package org.jvirtiofs.devfuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of /dev/fuse: reads a request, lets the session answer it into a reply buffer,
 * writes the reply back, until the connection ends (ENODEV after unmount).
 */
final class DevFuseReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DevFuseReader.class);

    private final int fd;
    private final FuseSession session;
    private final ByteBuffer request;
    private final ByteBuffer reply;
    private final ByteBuffer[] readable = new ByteBuffer[1];
    private final ByteBuffer[] writable = new ByteBuffer[1];
    private final String name;

    DevFuseReader(int fd, FuseSession session, int bufferSize, String name) {
        this.fd = fd;
        this.session = session;
        this.request = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.nativeOrder());
        this.reply = ByteBuffer.allocateDirect(bufferSize).order(ByteOrder.nativeOrder());
        this.name = name;
    }

    @Override
    public void run() {
        while (serveOne()) {
            // next request
        }
    }

    /** Serves one request; false when the connection has ended. */
    boolean serveOne() {
        request.clear();
        try {
            Io.read(fd, request);
        } catch (PosixException e) {
            return readFailed(e);
        }
        request.flip();
        reply.clear();
        readable[0] = request;
        writable[0] = reply;
        int length = session.handle(readable, writable);
        if (length > 0) {
            writeReply(length);
        }
        return true;
    }

    private boolean readFailed(PosixException e) {
        switch (e.errno()) {
            case Errno.ENOENT: // the request was interrupted before we read it
            case Errno.EINTR:
            case Errno.EAGAIN:
                return true;
            case Errno.ENODEV: // unmounted: the normal end
                return false;
            default:
                LOG.error("{}: reading /dev/fuse failed, stopping this reader: {}", name, e.getMessage());
                return false;
        }
    }

    private void writeReply(int length) {
        reply.position(0).limit(length);
        try {
            Io.write(fd, reply);
        } catch (PosixException e) {
            // ENOENT: the request was interrupted and the kernel no longer waits for the reply
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.ENODEV) {
                LOG.warn("{}: writing a reply of {} bytes failed: {}", name, length, e.getMessage());
            }
        }
    }
}

package org.jvirtiofs.devfuse;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.Executor;
import org.jvirtiofs.fuse.FuseSession;
import org.jvirtiofs.posix.Errno;
import org.jvirtiofs.posix.Io;
import org.jvirtiofs.posix.PosixException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One reader of /dev/fuse: reads a request, lets the session answer it into a reply buffer,
 * writes the reply back, until the connection ends (ENODEV after unmount). A request that may
 * wait for a later one ({@link FuseSession#mayBlock}: a lock waiting until granted) is copied
 * and served by one of the mount's waiter threads, so the readers go on to the unlock.
 */
final class DevFuseReader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(DevFuseReader.class);
    /** Room for a waiting request's reply: a lock's is a header alone. */
    private static final int WAITING_REPLY_SIZE = 4096;

    private final int fd;
    private final FuseSession session;
    private final ByteBuffer request;
    private final ByteBuffer reply;
    private final ByteBuffer[] readable = new ByteBuffer[1];
    private final ByteBuffer[] writable = new ByteBuffer[1];
    private final String name;
    private final Executor waiters;

    DevFuseReader(int fd, FuseSession session, int bufferSize, String name, Executor waiters) {
        this.fd = fd;
        this.session = session;
        this.waiters = waiters;
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
        if (session.mayBlock(readable)) {
            ByteBuffer copy = ByteBuffer.allocateDirect(request.remaining()).order(request.order());
            copy.put(request).flip();
            waiters.execute(() -> serveWaiting(copy));
            return true;
        }
        writable[0] = reply;
        int length = session.handle(readable, writable);
        if (length > 0) {
            writeReply(reply, length);
        }
        return true;
    }

    /** Serves a request that may wait, on a waiter thread, with a reply buffer of its own. */
    private void serveWaiting(ByteBuffer waiting) {
        ByteBuffer own = ByteBuffer.allocateDirect(WAITING_REPLY_SIZE).order(ByteOrder.nativeOrder());
        int length = session.handle(new ByteBuffer[] {waiting}, new ByteBuffer[] {own});
        if (length > 0) {
            writeReply(own, length);
        }
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

    private void writeReply(ByteBuffer reply, int length) {
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

package org.jvirtiofs.fuse;

import static org.jvirtiofs.fuse.FuseOpcode.*;

import java.nio.ByteBuffer;
import java.util.Objects;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.fuse.wire.FuseInHeader;
import org.jvirtiofs.fuse.wire.FuseOutHeader;
import org.jvirtiofs.fuse.wire.ReplyWriter;
import org.jvirtiofs.fuse.wire.RequestReader;

/**
 * One FUSE connection (a mount) served by one provider: decodes each request, calls the
 * {@link FuseFilesystem}, encodes the reply, and keeps the INIT-to-DESTROY state.
 *
 * <p>Transport-neutral: a request arrives as readable segments and its reply goes into writable
 * segments (guest memory of one descriptor chain, or a /dev/fuse buffer); the session never
 * sees sockets or file descriptors. Thread-safe: any number of workers may call
 * {@link #handle} at once, FORGETs from another queue included.
 *
 * <p>Nothing a guest sends can throw out of {@link #handle} or wedge the session: malformed
 * requests get EINVAL when a reply can be formed (the header was read and 16 bytes are writable)
 * and are dropped with a log line otherwise.
 */
public final class FuseSession {
    private final FuseFilesystem fs;
    private final SessionOptions options;
    private final RequestObserver observer;
    private final ProtocolLog log;
    private final InitOps init;
    private final WaitingRequests waiting = new WaitingRequests();
    private final Op[] ops = new Op[FUSE_TMPFILE + 1];
    /** sizeof(struct fuse_write_in): what precedes a WRITE's data after the header. */
    private static final int FUSE_WRITE_IN_SIZE = 40;
    private static final ByteBuffer[] NONE = new ByteBuffer[0];
    /** What each thread serving requests decodes into and encodes from, so a request allocates none of it. */
    private final ThreadLocal<Exchange> exchanges = ThreadLocal.withInitial(Exchange::new);

    /** A session serving {@code fs}, negotiating with {@code options}; waits for INIT. */
    public FuseSession(FuseFilesystem fs, SessionOptions options) {
        this(fs, options, RequestObserver.NONE);
    }

    /** A session that also tells {@code observer} about every request it serves. */
    public FuseSession(FuseFilesystem fs, SessionOptions options, RequestObserver observer) {
        this.fs = Objects.requireNonNull(fs, "fs");
        this.options = Objects.requireNonNull(options, "options");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.log = new ProtocolLog(observer);
        this.init = new InitOps(fs, options);
        new EntryOps(fs, log).register(ops);
        new AttrOps(fs).register(ops);
        new FileOps(fs, log).register(ops);
        new FileSpaceOps(fs).register(ops);
        new DirOps(fs).register(ops);
        new XattrOps(fs).register(ops);
        new LockOps(fs, waiting).register(ops);
        ops[FUSE_DESTROY] = init::destroy;
        ops[FUSE_NOTIFY_REPLY] = r -> 0; // we send no notifications, so it answers nothing
    }

    /** The options this session negotiates with. */
    public SessionOptions options() {
        return options;
    }

    /** The provider this session serves. */
    public FuseFilesystem filesystem() {
        return fs;
    }

    /** Whether INIT succeeded and no DESTROY followed. */
    public boolean isInitialized() {
        return init.state() != null;
    }

    /**
     * Serves one request. Each buffer's position..limit is one segment; their positions, limits
     * and byte order are left as they were. The request may be split across the readable
     * segments at any byte; the reply (fuse_out_header and payload) is written from the start of
     * the writable segments on.
     *
     * @param readable the request: fuse_in_header, arguments, WRITE payload
     * @param writable where the reply goes; may be empty for requests without one (FORGET)
     * @return the reply's length in bytes, to report as the used length; 0 if there is no reply
     */
    public int handle(ByteBuffer[] readable, ByteBuffer[] writable) {
        Exchange x = exchanges.get();
        if (x.busy) {
            x = new Exchange(); // re-entered on this thread: the request being served keeps its own
        }
        x.busy = true;
        int opcode = -1;
        try {
            RequestReader in = x.in.reset(readable);
            ReplyWriter out = x.out.reset(writable);
            if (in.remaining() < FuseInHeader.SIZE) {
                return truncated(in, out);
            }
            FuseInHeader h = x.header.decode(in);
            opcode = h.opcode();
            return serve(x.request, h, in, out);
        } catch (FsException | RuntimeException e) {
            // Only a transport bug (null segments, read-only reply memory) or a session bug gets
            // here; the header is unknown or unwritable, so there is no reply.
            log.bug(opcode, e instanceof RuntimeException re ? re : new IllegalStateException(e));
            return 0;
        } finally {
            // the segments are the transport's, and valid only during this call
            x.in.release();
            x.out.release();
            x.busy = false;
        }
    }

    /**
     * Whether the request in {@code readable} may wait for as long as another request takes to
     * come: a lock that waits until granted (SETLKW), which only an unlock, a FLUSH or a RELEASE
     * coming after it may grant. A transport serves such a request on a thread of its own, so
     * the requests after it are served meanwhile. Reads only the header's opcode, in place.
     */
    public boolean mayBlock(ByteBuffer[] readable) {
        Exchange x = exchanges.get();
        // transports ask before handle, never from inside it; a reader of its own if they did
        RequestReader in = x.busy ? new RequestReader(readable) : x.in.reset(readable);
        try {
            // fuse_in_header: len (u32), then opcode (u32)
            return in.remaining() >= FuseInHeader.SIZE && in.struct(8).getInt(4) == FUSE_SETLKW;
        } catch (FsException e) {
            return false; // cannot happen: the length was checked
        } finally {
            in.release();
        }
    }

    /** {@link #handle(ByteBuffer[], ByteBuffer[])} for a request and reply of one segment each. */
    public int handle(ByteBuffer readable, ByteBuffer writable) {
        return handle(new ByteBuffer[] {readable}, new ByteBuffer[] {writable});
    }

    /**
     * Ends the connection without a DESTROY request, e.g. when the device is reset or the
     * transport stops: the provider drops its nodes and handles, and the next request must be
     * INIT.
     */
    public void destroy() {
        try {
            init.destroy();
        } catch (RuntimeException e) {
            log.bug(FUSE_DESTROY, e);
        }
    }

    private int truncated(RequestReader in, ReplyWriter out) throws FsException {
        if (in.remaining() < FuseOutHeader.SIZE) {
            log.fragment(in.remaining());
            return 0;
        }
        // len, opcode and unique are the first 16 bytes: enough to answer.
        var b = in.struct(FuseOutHeader.SIZE);
        int opcode = b.getInt(4);
        long unique = b.getLong(8);
        log.badRequest("header truncated to " + (in.remaining() + 16) + " bytes", opcode, unique);
        return errorOrDrop(opcode, unique, out, Errno.EINVAL);
    }

    private int serve(FuseRequest r, FuseInHeader h, RequestReader in, ReplyWriter out) {
        int avail = in.remaining() + FuseInHeader.SIZE;
        if (Integer.compareUnsigned(h.len(), FuseInHeader.SIZE) < 0
                || Integer.compareUnsigned(h.len(), avail) > 0) {
            log.badRequest("in.len " + Integer.toUnsignedString(h.len()) + " but " + avail
                    + " bytes readable", h.opcode(), h.unique());
            return errorOrDrop(h.opcode(), h.unique(), out, Errno.EINVAL);
        }
        // A transport may hand over a buffer longer than the request: in.len is the truth.
        in.limit(h.len());
        boolean noReply = isNoReply(h.opcode());
        if (!noReply && out.capacity() < FuseOutHeader.SIZE) {
            // Not even room for an error; don't call the provider for a reply nobody gets.
            log.badRequest("only " + out.capacity() + " writable bytes", h.opcode(), h.unique());
            return 0;
        }
        long start = System.nanoTime();
        int errno = 0;
        int length = 0;
        try {
            length = dispatch(r, h, in, out, noReply);
            return length;
        } catch (FsException e) {
            errno = wireErrno(e.errno());
            return noReply ? 0 : out.finishError(h.unique(), errno);
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a provider bundle updated against a posix or api it cannot link
            // with; that request fails, the session and the transport stay up
            log.bug(h.opcode(), e);
            errno = Errno.EIO;
            return noReply ? 0 : out.finishError(h.unique(), errno);
        } catch (OutOfMemoryError e) {
            // a heap filled by what the guest holds (an inode per file it knows): this request
            // fails, the session and the queue stay up, and the guest's FORGETs make room again
            errno = Errno.ENOMEM;
            log.outOfMemory(h.opcode());
            return noReply ? 0 : out.finishError(h.unique(), errno);
        } finally {
            observe(h, errno, System.nanoTime() - start, length);
        }
    }

    private void observe(FuseInHeader h, int errno, long nanos, int replyLength) {
        long payload = 0;
        if (errno == 0 && h.opcode() == FUSE_READ) {
            payload = Math.max(0, replyLength - FuseOutHeader.SIZE);
        } else if (errno == 0 && h.opcode() == FUSE_WRITE) {
            payload = Math.max(0, Integer.toUnsignedLong(h.len()) - FuseInHeader.SIZE - FUSE_WRITE_IN_SIZE);
        }
        try {
            observer.served(h.opcode(), errno, nanos, payload);
        } catch (RuntimeException e) {
            log.bug(h.opcode(), e);
        }
    }

    private int dispatch(FuseRequest r, FuseInHeader h, RequestReader in, ReplyWriter out, boolean noReply)
            throws FsException {
        int opcode = h.opcode();
        if (opcode == FUSE_INIT) {
            waiting.clear();
            return init.init(r.set(h, in, out, null));
        }
        Negotiated state = init.state();
        if (state == null) {
            if (!noReply) {
                log.badRequest("before INIT", opcode, h.unique());
            }
            throw FsException.of(Errno.EIO);
        }
        Op op = opcode >= 0 && opcode < ops.length ? ops[opcode] : null;
        if (op == null) {
            throw FsException.of(Errno.ENOSYS);
        }
        return op.handle(r.set(h, in, out, state));
    }

    private int errorOrDrop(int opcode, long unique, ReplyWriter out, int errno) {
        if (isNoReply(opcode) || out.capacity() < FuseOutHeader.SIZE) {
            return 0;
        }
        return out.finishError(unique, errno);
    }

    /** The kernel takes only -1..-511 as errors; anything else from a provider becomes EIO. */
    private static int wireErrno(int errno) {
        return errno > 0 && errno < 512 ? errno : Errno.EIO;
    }

    /** One thread's reader, writer, header and request, refilled for each request it serves. */
    private static final class Exchange {
        final RequestReader in = new RequestReader(NONE);
        final ReplyWriter out = new ReplyWriter(NONE);
        final FuseInHeader header = new FuseInHeader();
        final FuseRequest request = new FuseRequest(header, in, out, null);
        boolean busy;
    }
}

package org.jvirtiofs.vhostuser.warmup;

import static org.jvirtiofs.api.Errno.ENOENT;
import static org.jvirtiofs.api.Errno.ENOSYS;
import static org.jvirtiofs.api.OpenFlags.O_CREAT;
import static org.jvirtiofs.api.OpenFlags.O_DIRECTORY;
import static org.jvirtiofs.api.OpenFlags.O_EXCL;
import static org.jvirtiofs.api.OpenFlags.O_RDONLY;
import static org.jvirtiofs.api.OpenFlags.O_WRONLY;
import static org.jvirtiofs.api.SetattrValid.FATTR_ATIME;
import static org.jvirtiofs.api.SetattrValid.FATTR_GID;
import static org.jvirtiofs.api.SetattrValid.FATTR_KILL_SUIDGID;
import static org.jvirtiofs.api.SetattrValid.FATTR_MODE;
import static org.jvirtiofs.api.SetattrValid.FATTR_MTIME;
import static org.jvirtiofs.api.SetattrValid.FATTR_UID;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_CREATE;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_FLUSH;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_FORGET;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_GETATTR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_INIT;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_LOOKUP;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_MKDIR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_MKNOD;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_OPEN;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_OPENDIR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_READ;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_READDIRPLUS;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_READLINK;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_RELEASE;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_RELEASEDIR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_RENAME;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_RMDIR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_SETATTR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_SYMLINK;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_UNLINK;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_WRITE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.fuse.FuseConstants;
import org.jvirtiofs.vhostuser.LoopbackQueue;

/**
 * The requests of a warm-up, as Linux 6.1's virtio-fs client sends them for a small source
 * tree's life: a directory made, files looked up, created, written, chowned, chmod-ed and
 * touched, the directory listed with READDIRPLUS, each file looked up, stat-ed, opened and read,
 * then renamed, removed and forgotten, and a symlink made and read. One {@link #round} leaves the provider's directory
 * as it found it and the session without nodes or handles of its own making.
 *
 * <p>The chains have the guest's shape too, so the compiled code takes the guest's branches and
 * is not thrown away when the guest comes: in Linux 6.1 ({@code virtio_fs_enqueue_req}) the
 * fuse_in_header is one readable segment, the arguments another, data one per page; the
 * fuse_out_header one writable segment, the reply's arguments another, data pages one each; a
 * FORGET is one readable segment. The loopback queue puts chains of more than one segment in
 * an indirect table, as Linux's ring does.
 */
final class WarmUpRequests {
    /** Files per round's directory: enough for READDIRPLUS replies of several entries, as in a tree. */
    static final int FILES = 16;
    static final int REPLY_ROOM = 132 << 10;
    static final int REQUEST_ROOM = 132 << 10;
    /**
     * Data pages of the files: one to three, and the last file 32 (128 KiB, the guest's largest
     * READ and WRITE with max_pages 32), so reads and writes span as many segments as the guest's.
     */
    private static final int MAX_PAGES = 32;
    private static final int PAGE = FuseConstants.PAGE_SIZE;
    private static final int ATTR_OUT = 104;
    private static final int OPEN_OUT = 16;
    private static final int WRITE_OUT = 8;
    private static final int INIT_OUT = 64;
    private static final int[] NO_REPLY = {};
    /**
     * What Linux 6.1 offers at INIT ({@code fuse_send_init}), SUBMOUNTS as virtio-fs adds it; not
     * SECURITY_CTX (flags2), which the session declines.
     */
    private static final long LINUX_6_1_INIT_FLAGS = FuseConstants.FUSE_ASYNC_READ | FuseConstants.FUSE_POSIX_LOCKS
            | FuseConstants.FUSE_ATOMIC_O_TRUNC | FuseConstants.FUSE_EXPORT_SUPPORT | FuseConstants.FUSE_BIG_WRITES
            | FuseConstants.FUSE_DONT_MASK | FuseConstants.FUSE_SPLICE_WRITE | FuseConstants.FUSE_SPLICE_MOVE
            | FuseConstants.FUSE_SPLICE_READ | FuseConstants.FUSE_FLOCK_LOCKS | FuseConstants.FUSE_HAS_IOCTL_DIR
            | FuseConstants.FUSE_AUTO_INVAL_DATA | FuseConstants.FUSE_DO_READDIRPLUS
            | FuseConstants.FUSE_READDIRPLUS_AUTO | FuseConstants.FUSE_ASYNC_DIO | FuseConstants.FUSE_WRITEBACK_CACHE
            | FuseConstants.FUSE_NO_OPEN_SUPPORT | FuseConstants.FUSE_PARALLEL_DIROPS
            | FuseConstants.FUSE_HANDLE_KILLPRIV | FuseConstants.FUSE_POSIX_ACL | FuseConstants.FUSE_ABORT_ERROR
            | FuseConstants.FUSE_MAX_PAGES | FuseConstants.FUSE_CACHE_SYMLINKS | FuseConstants.FUSE_NO_OPENDIR_SUPPORT
            | FuseConstants.FUSE_EXPLICIT_INVAL_DATA | FuseConstants.FUSE_SUBMOUNTS
            | FuseConstants.FUSE_HANDLE_KILLPRIV_V2 | FuseConstants.FUSE_SETXATTR_EXT | FuseConstants.FUSE_INIT_EXT;

    private static final long ROOT = FuseConstants.FUSE_ROOT_ID;
    private static final int ENTRY_OUT = 128;
    private static final int DIRENT = 24;
    private static final long TIMEOUT_MILLIS = 10_000;

    private LoopbackQueue queue;
    private int firstPid;
    private int pid;
    private int chown;
    /** WRITEBACK_CACHE was accepted: the kernel then flushes at every close, whatever OPEN said. */
    private boolean writeback;
    /**
     * An OPEN was answered ENOSYS (zero-message opens): as the kernel, send no OPEN and no file
     * RELEASE from then on, and name handle 0.
     */
    private boolean noOpen;
    /** A FLUSH was answered ENOSYS: as the kernel, send none from then on. */
    private boolean noFlush;
    /** A CREATE was answered ENOSYS: as the kernel, make files with MKNOD and open them. */
    private boolean noCreate;
    /** An OPENDIR was answered ENOSYS: as the kernel, send no OPENDIR and no RELEASEDIR, list with handle 0. */
    private boolean noOpendir;
    /** What the last {@link #open} got: the handle, and whether its close flushes. */
    private long openedFh;
    private boolean openedFlushes;
    private final ByteBuffer out = ByteBuffer.allocate(REQUEST_ROOM).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] data = new byte[MAX_PAGES * PAGE];
    private final byte[][] names = new byte[FILES][];
    private final byte[][] renamed = new byte[FILES][];
    private final long[] files = new long[FILES];
    /** Lookups the session counts for each node this round made known, to FORGET them all. */
    private final Map<Long, Long> lookups = new HashMap<>();
    private final int uid;
    private final int gid;
    /** Where the request's data pages start in {@link #out}, or -1: they are segments of their own. */
    private int pagesAt = -1;
    private long unique = 1;
    private long sent;

    /** Requests whose files are chowned to {@code uid} and {@code gid} (the daemon's own). */
    WarmUpRequests(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        for (int i = 0; i < FILES; i++) {
            names[i] = name(String.format("file-%02d.c", i));
            renamed[i] = name(String.format("file-%02d.o", i));
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + i % 26);
        }
    }

    /** The requests sent so far. */
    long sent() {
        return sent;
    }

    /**
     * Starts a session on {@code queue}, as a guest's mount does: INIT, with what Linux 6.1
     * offers; later requests carry callers from {@code pid} on.
     */
    void init(LoopbackQueue queue, int pid) throws IOException, TimeoutException {
        this.queue = queue;
        this.firstPid = pid;
        this.pid = pid;
        begin(FUSE_INIT, 0).putInt(FuseConstants.FUSE_KERNEL_VERSION).putInt(FuseConstants.FUSE_KERNEL_MINOR_VERSION)
                .putInt(128 << 10).putInt((int) LINUX_6_1_INIT_FLAGS).putInt(0).put(new byte[44]);
        long accepted = Integer.toUnsignedLong(send(INIT_OUT).getInt(FuseConstants.FUSE_OUT_HEADER_SIZE + 12));
        // with HANDLE_KILLPRIV_V2 the guest's chown of a file also asks to clear its set-id bits
        chown = FATTR_UID | FATTR_GID
                | ((accepted & FuseConstants.FUSE_HANDLE_KILLPRIV_V2) != 0 ? FATTR_KILL_SUIDGID : 0);
        writeback = (accepted & FuseConstants.FUSE_WRITEBACK_CACHE) != 0;
    }

    /** One round, in the directory {@code dir} (a name in the share's root that does not exist). */
    void round(String dir) throws IOException, TimeoutException {
        byte[] dirName = name(dir);
        lookupMiss(ROOT, dirName); // as mkdir -p asks first
        begin(FUSE_MKDIR, ROOT).putInt(0755).putInt(022).put(dirName);
        long d = entry(send(ENTRY_OUT));
        begin(FUSE_GETATTR, d).putInt(0).putInt(0).putLong(0);
        send(ATTR_OUT);
        for (int i = 0; i < FILES; i++) {
            pid = firstPid + i; // a process per file, so callers change as the guest's do
            files[i] = createAndWrite(d, names[i], size(i));
        }
        list(d);
        for (int i = 0; i < FILES; i++) {
            lookupAndRead(d, names[i], size(i));
        }
        symlink(d);
        for (int i = 0; i < FILES; i++) {
            begin(FUSE_RENAME, d).putLong(d).put(names[i]).put(renamed[i]);
            send();
            begin(FUSE_UNLINK, d).put(renamed[i]);
            send();
            forget(files[i]);
        }
        begin(FUSE_RMDIR, ROOT).put(dirName);
        send();
        forget(d);
    }

    /**
     * LOOKUP (a miss), CREATE, WRITE, FLUSH, RELEASE, then chown, chmod and touch: what an untar
     * does per file.
     */
    private long createAndWrite(long d, byte[] name, int size) throws IOException, TimeoutException {
        lookupMiss(d, name);
        long f = 0;
        long fh = 0;
        boolean flush = true;
        if (!noCreate) {
            begin(FUSE_CREATE, d).putInt(O_WRONLY | O_CREAT | O_EXCL).putInt(0100644).putInt(022).putInt(0).put(name);
            ByteBuffer reply = sendUnlessNotImplemented(ENTRY_OUT + OPEN_OUT);
            if (reply == null) {
                noCreate = true;
            } else {
                f = entry(reply);
                fh = reply.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE + ENTRY_OUT);
                flush = flushes(reply.getInt(FuseConstants.FUSE_OUT_HEADER_SIZE + ENTRY_OUT + 8));
            }
        }
        if (noCreate) {
            begin(FUSE_MKNOD, d).putInt(0100644).putInt(0).putInt(022).putInt(0).put(name);
            f = entry(send(ENTRY_OUT));
            open(f, O_WRONLY);
            fh = openedFh;
            flush = openedFlushes;
        }
        begin(FUSE_WRITE, f).putLong(fh).putLong(0).putInt(size).putInt(0).putLong(0).putInt(O_WRONLY).putInt(0);
        pagesAt = out.position();
        out.put(data, 0, size);
        send(WRITE_OUT);
        flushAndRelease(f, fh, FUSE_RELEASE, flush);
        setattr(f, chown, 0);
        setattr(f, FATTR_MODE, 0100640);
        setattr(f, FATTR_ATIME | FATTR_MTIME, 0);
        return f;
    }

    /** OPENDIR, READDIRPLUS until an empty reply, RELEASEDIR: what find and ls -l do. */
    private void list(long d) throws IOException, TimeoutException {
        long fh = 0;
        if (!noOpendir) {
            begin(FUSE_OPENDIR, d).putInt(O_RDONLY | O_DIRECTORY).putInt(0);
            ByteBuffer opened = sendUnlessNotImplemented(OPEN_OUT);
            if (opened == null) {
                noOpendir = true;
            } else {
                fh = opened.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE);
            }
        }
        long offset = 0;
        while (true) {
            begin(FUSE_READDIRPLUS, d).putLong(fh).putLong(offset).putInt(PAGE).putInt(0).putLong(0).putInt(0)
                    .putInt(0);
            ByteBuffer reply = send(PAGE);
            if (reply.limit() == FuseConstants.FUSE_OUT_HEADER_SIZE) {
                break;
            }
            for (int at = FuseConstants.FUSE_OUT_HEADER_SIZE; at < reply.limit(); ) {
                long node = reply.getLong(at);
                offset = reply.getLong(at + ENTRY_OUT + 8);
                int nameLength = reply.getInt(at + ENTRY_OUT + 16);
                if (node != 0 && !dotOrDotDot(reply, at + ENTRY_OUT + DIRENT, nameLength)) {
                    // the kernel links (and later forgets) each listed entry but "." and ".."
                    lookups.merge(node, 1L, Long::sum);
                }
                at += ENTRY_OUT + DIRENT + (nameLength + 7 & ~7);
            }
        }
        if (!noOpendir) {
            flushAndRelease(d, fh, FUSE_RELEASEDIR, false);
        }
    }

    /**
     * LOOKUP, GETATTR, OPEN, READ (the file's pages at once, then the end), FLUSH unless the OPEN
     * said not to, RELEASE: what cat does.
     */
    private void lookupAndRead(long d, byte[] name, int size) throws IOException, TimeoutException {
        begin(FUSE_LOOKUP, d).put(name);
        long f = entry(send(ENTRY_OUT));
        begin(FUSE_GETATTR, f).putInt(0).putInt(0).putLong(0);
        send(ATTR_OUT);
        open(f, O_RDONLY);
        long fh = openedFh;
        boolean flush = openedFlushes;
        for (long offset = 0; offset <= size; offset += size) {
            begin(FUSE_READ, f).putLong(fh).putLong(offset).putInt(size).putInt(0).putLong(0).putInt(O_RDONLY)
                    .putInt(0);
            send(pages(size));
        }
        flushAndRelease(f, fh, FUSE_RELEASE, flush);
    }

    /** OPEN, as the kernel sends it: not at all once one was answered ENOSYS (then handle 0). */
    private void open(long f, int flags) throws IOException, TimeoutException {
        openedFh = 0;
        openedFlushes = true; // a file opened without OPEN has no FOPEN_NOFLUSH
        if (noOpen) {
            return;
        }
        begin(FUSE_OPEN, f).putInt(flags).putInt(0);
        ByteBuffer opened = sendUnlessNotImplemented(OPEN_OUT);
        if (opened == null) {
            noOpen = true;
        } else {
            openedFh = opened.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE);
            openedFlushes = flushes(opened.getInt(FuseConstants.FUSE_OUT_HEADER_SIZE + 8));
        }
    }

    /** SYMLINK, READLINK, UNLINK and FORGET of one link to the first file. */
    private void symlink(long d) throws IOException, TimeoutException {
        byte[] link = name("link");
        begin(FUSE_SYMLINK, d).put(link).put(names[0]);
        long l = entry(send(ENTRY_OUT));
        begin(FUSE_READLINK, l);
        send(PAGE);
        begin(FUSE_UNLINK, d).put(link);
        send();
        forget(l);
    }

    private void lookupMiss(long parent, byte[] name) throws IOException, TimeoutException {
        begin(FUSE_LOOKUP, parent).put(name);
        ByteBuffer reply = call(ENTRY_OUT);
        int error = reply.getInt(4);
        // passthrough answers ENOENT, the memory provider a negative entry (node 0)
        if (error != -ENOENT && (error != 0 || reply.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE) != 0)) {
            throw failed(reply);
        }
    }

    private void setattr(long node, int valid, int mode) throws IOException, TimeoutException {
        long now = System.currentTimeMillis() / 1000;
        begin(FUSE_SETATTR, node).putInt(valid).putInt(0).putLong(0).putLong(0).putLong(0).putLong(now).putLong(now)
                .putLong(now).putInt(0).putInt(0).putInt(0).putInt(mode).putInt(0).putInt(uid).putInt(gid).putInt(0);
        send(ATTR_OUT);
    }

    /** Whether the kernel sends FLUSH at the close of a file opened with these FOPEN_* flags. */
    private boolean flushes(int openFlags) {
        return writeback || (openFlags & OpenReply.FOPEN_NOFLUSH) == 0;
    }

    private void flushAndRelease(long node, long fh, int release, boolean flush) throws IOException, TimeoutException {
        if (flush && !noFlush) {
            begin(FUSE_FLUSH, node).putLong(fh).putInt(0).putInt(0).putLong(0);
            noFlush = sendUnlessNotImplemented() == null;
        }
        if (release == FUSE_RELEASE && noOpen) {
            return; // the kernel releases no file once it opens them itself
        }
        begin(release, node).putLong(fh).putInt(0).putInt(0).putLong(0);
        send();
    }

    /** FORGET of every lookup of {@code node} this round: a FORGET has no reply. */
    private void forget(long node) throws IOException, TimeoutException {
        Long n = lookups.remove(node);
        if (n != null) {
            begin(FUSE_FORGET, node).putLong(n);
            int length = finish();
            queue.call(out, new int[] {length}, NO_REPLY, TIMEOUT_MILLIS); // one segment, as on the hiprio queue
        }
    }

    /** The node of an entry reply, counted as one lookup. */
    private long entry(ByteBuffer reply) {
        long node = reply.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE);
        lookups.merge(node, 1L, Long::sum);
        return node;
    }

    /** Starts a request: the fuse_in_header, its length filled in when sent; a root caller. */
    private ByteBuffer begin(int opcode, long node) {
        out.clear();
        pagesAt = -1;
        return out.putInt(0).putInt(opcode).putLong(unique++).putLong(node).putInt(0).putInt(0).putInt(pid).putInt(0);
    }

    /**
     * Sends the request with room for a reply of the fuse_out_header and the given segments
     * (none, the reply's arguments, or data pages), and checks that it succeeded.
     */
    private ByteBuffer send(int... reply) throws IOException, TimeoutException {
        ByteBuffer r = call(reply);
        if (r.getInt(4) != 0) {
            throw failed(r);
        }
        return r;
    }

    /**
     * As {@link #send}, but null where the reply is ENOSYS: what makes the kernel stop sending
     * that request (CREATE, OPEN, OPENDIR, FLUSH).
     */
    private ByteBuffer sendUnlessNotImplemented(int... reply) throws IOException, TimeoutException {
        ByteBuffer r = call(reply);
        if (r.getInt(4) == -ENOSYS) {
            return null;
        }
        if (r.getInt(4) != 0) {
            throw failed(r);
        }
        return r;
    }

    /** Fills in the request's length and readies it to send; returns the length. */
    private int finish() {
        int length = out.position();
        out.putInt(0, length).flip();
        sent++;
        return length;
    }

    private ByteBuffer call(int... reply) throws IOException, TimeoutException {
        int length = finish();
        int end = pagesAt < 0 ? length : pagesAt;
        int[] pages = pagesAt < 0 ? NO_REPLY : pages(length - pagesAt);
        int[] readable = new int[(end > FuseConstants.FUSE_IN_HEADER_SIZE ? 2 : 1) + pages.length];
        readable[0] = FuseConstants.FUSE_IN_HEADER_SIZE;
        if (end > FuseConstants.FUSE_IN_HEADER_SIZE) {
            readable[1] = end - FuseConstants.FUSE_IN_HEADER_SIZE;
        }
        System.arraycopy(pages, 0, readable, readable.length - pages.length, pages.length);
        int[] writable = new int[1 + reply.length];
        writable[0] = FuseConstants.FUSE_OUT_HEADER_SIZE;
        System.arraycopy(reply, 0, writable, 1, reply.length);
        return queue.call(out, readable, writable, TIMEOUT_MILLIS);
    }

    private static int size(int file) {
        return (file == FILES - 1 ? MAX_PAGES : 1 + file % 3) * PAGE;
    }

    /** {@code size} bytes as page-sized segments, the last one shorter if need be. */
    private static int[] pages(int size) {
        int[] p = new int[(size + PAGE - 1) / PAGE];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.min(PAGE, size - i * PAGE);
        }
        return p;
    }

    private IOException failed(ByteBuffer reply) {
        int opcode = out.getInt(4);
        return reply.remaining() < FuseConstants.FUSE_OUT_HEADER_SIZE
                ? new IOException("opcode " + opcode + " got no reply")
                : new IOException("opcode " + opcode + " failed with errno " + -reply.getInt(4));
    }

    private static boolean dotOrDotDot(ByteBuffer reply, int at, int length) {
        return reply.get(at) == '.' && (length == 1 || length == 2 && reply.get(at + 1) == '.');
    }

    private static byte[] name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}

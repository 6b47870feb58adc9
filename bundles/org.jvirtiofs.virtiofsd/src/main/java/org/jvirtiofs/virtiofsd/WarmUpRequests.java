package org.jvirtiofs.virtiofsd;

import static org.jvirtiofs.fuse.FuseOpcode.FUSE_CREATE;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_FLUSH;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_FORGET;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_GETATTR;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_INIT;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_LOOKUP;
import static org.jvirtiofs.fuse.FuseOpcode.FUSE_MKDIR;
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
import org.jvirtiofs.fuse.FuseConstants;
import org.jvirtiofs.vhostuser.LoopbackQueue;

/**
 * The requests of a warm-up, as Linux 6.1's virtio-fs client sends them for a small source tree's
 * life: a directory made, files looked up, created, written, chmod-ed and touched, the directory
 * listed with READDIRPLUS, each file looked up, stat-ed, opened and read, then renamed, removed
 * and forgotten, and a symlink made and read. One {@link #round} leaves the share as it found it
 * and the session without nodes or handles of its own making.
 */
final class WarmUpRequests {
    /** Files per round's directory: enough for READDIRPLUS replies of several entries, as in a tree. */
    static final int FILES = 16;
    static final int REPLY_ROOM = 8192;
    static final int REQUEST_ROOM = 8192;

    private static final long ROOT = FuseConstants.FUSE_ROOT_ID;
    private static final int ENOENT = 2;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_EXCL = 0200;
    private static final int O_DIRECTORY = 0200000;
    private static final int FATTR_MODE = 1;
    private static final int FATTR_ATIME = 1 << 4;
    private static final int FATTR_MTIME = 1 << 5;
    private static final int ENTRY_OUT = 128;
    private static final int DIRENT = 24;
    private static final long TIMEOUT_MILLIS = 10_000;

    private final LoopbackQueue queue;
    private final ByteBuffer out = ByteBuffer.allocate(REQUEST_ROOM).order(ByteOrder.LITTLE_ENDIAN);
    private final byte[] data = new byte[4096];
    private final byte[][] names = new byte[FILES][];
    private final byte[][] renamed = new byte[FILES][];
    private final long[] files = new long[FILES];
    /** Lookups the session counts for each node this round made known, to FORGET them all. */
    private final Map<Long, Long> lookups = new HashMap<>();
    private long unique = 1;
    private long sent;

    WarmUpRequests(LoopbackQueue queue) {
        this.queue = queue;
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

    /** INIT, with what Linux 6.1 offers that a warm-up can use. */
    void init() throws IOException, TimeoutException {
        begin(FUSE_INIT, 0).putInt(FuseConstants.FUSE_KERNEL_VERSION).putInt(FuseConstants.FUSE_KERNEL_MINOR_VERSION)
                .putInt(128 << 10).putInt((int) (FuseConstants.FUSE_ASYNC_READ | FuseConstants.FUSE_BIG_WRITES
                        | FuseConstants.FUSE_DO_READDIRPLUS | FuseConstants.FUSE_READDIRPLUS_AUTO
                        | FuseConstants.FUSE_PARALLEL_DIROPS | FuseConstants.FUSE_MAX_PAGES))
                .putInt(0).put(new byte[44]);
        send();
    }

    /** One round, in the directory {@code dir} (a name in the share's root that does not exist). */
    void round(String dir) throws IOException, TimeoutException {
        byte[] dirName = name(dir);
        lookupMiss(ROOT, dirName); // as mkdir -p asks first
        begin(FUSE_MKDIR, ROOT).putInt(0755).putInt(022).put(dirName);
        long d = entry(send());
        begin(FUSE_GETATTR, d).putInt(0).putInt(0).putLong(0);
        send();
        for (int i = 0; i < FILES; i++) {
            files[i] = createAndWrite(d, names[i]);
        }
        list(d);
        for (int i = 0; i < FILES; i++) {
            lookupAndRead(d, names[i]);
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

    /** LOOKUP (a miss), CREATE, WRITE, FLUSH, RELEASE, then chmod and touch: what an untar does per file. */
    private long createAndWrite(long d, byte[] name) throws IOException, TimeoutException {
        lookupMiss(d, name);
        begin(FUSE_CREATE, d).putInt(O_WRONLY | O_CREAT | O_EXCL).putInt(0100644).putInt(022).putInt(0).put(name);
        ByteBuffer reply = send();
        long f = entry(reply);
        long fh = reply.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE + ENTRY_OUT);
        begin(FUSE_WRITE, f).putLong(fh).putLong(0).putInt(data.length).putInt(0).putLong(0).putInt(O_WRONLY)
                .putInt(0).put(data);
        send();
        flushAndRelease(f, fh, FUSE_RELEASE);
        setattr(f, FATTR_MODE, 0100640);
        setattr(f, FATTR_ATIME | FATTR_MTIME, 0);
        return f;
    }

    /** OPENDIR, READDIRPLUS until an empty reply, RELEASEDIR: what find and ls -l do. */
    private void list(long d) throws IOException, TimeoutException {
        begin(FUSE_OPENDIR, d).putInt(O_RDONLY | O_DIRECTORY).putInt(0);
        long fh = send().getLong(FuseConstants.FUSE_OUT_HEADER_SIZE);
        long offset = 0;
        while (true) {
            begin(FUSE_READDIRPLUS, d).putLong(fh).putLong(offset).putInt(4096).putInt(0).putLong(0).putInt(0)
                    .putInt(0);
            ByteBuffer reply = send();
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
        flushAndRelease(d, fh, FUSE_RELEASEDIR);
    }

    /** LOOKUP, GETATTR, OPEN, READ to the end, FLUSH, RELEASE: what cat does. */
    private void lookupAndRead(long d, byte[] name) throws IOException, TimeoutException {
        begin(FUSE_LOOKUP, d).put(name);
        long f = entry(send());
        begin(FUSE_GETATTR, f).putInt(0).putInt(0).putLong(0);
        send();
        begin(FUSE_OPEN, f).putInt(O_RDONLY).putInt(0);
        long fh = send().getLong(FuseConstants.FUSE_OUT_HEADER_SIZE);
        for (long offset = 0; offset <= data.length; offset += data.length) {
            begin(FUSE_READ, f).putLong(fh).putLong(offset).putInt(data.length).putInt(0).putLong(0).putInt(O_RDONLY)
                    .putInt(0);
            send();
        }
        flushAndRelease(f, fh, FUSE_RELEASE);
    }

    /** SYMLINK, READLINK, UNLINK and FORGET of one link to the first file. */
    private void symlink(long d) throws IOException, TimeoutException {
        byte[] link = name("link");
        begin(FUSE_SYMLINK, d).put(link).put(names[0]);
        long l = entry(send());
        begin(FUSE_READLINK, l);
        send();
        begin(FUSE_UNLINK, d).put(link);
        send();
        forget(l);
    }

    private void lookupMiss(long parent, byte[] name) throws IOException, TimeoutException {
        begin(FUSE_LOOKUP, parent).put(name);
        ByteBuffer reply = call();
        int error = reply.getInt(4);
        // passthrough answers ENOENT, the memory provider a negative entry (node 0)
        if (error != -ENOENT && (error != 0 || reply.getLong(FuseConstants.FUSE_OUT_HEADER_SIZE) != 0)) {
            throw failed(reply);
        }
    }

    private void setattr(long node, int valid, int mode) throws IOException, TimeoutException {
        long now = System.currentTimeMillis() / 1000;
        begin(FUSE_SETATTR, node).putInt(valid).putInt(0).putLong(0).putLong(0).putLong(0).putLong(now).putLong(now)
                .putLong(now).putInt(0).putInt(0).putInt(0).putInt(mode).putInt(0).putInt(0).putInt(0).putInt(0);
        send();
    }

    private void flushAndRelease(long node, long fh, int release) throws IOException, TimeoutException {
        if (release == FUSE_RELEASE) {
            begin(FUSE_FLUSH, node).putLong(fh).putInt(0).putInt(0).putLong(0);
            send();
        }
        begin(release, node).putLong(fh).putInt(0).putInt(0).putLong(0);
        send();
    }

    /** FORGET of every lookup of {@code node} this round: a FORGET has no reply. */
    private void forget(long node) throws IOException, TimeoutException {
        Long n = lookups.remove(node);
        if (n != null) {
            begin(FUSE_FORGET, node).putLong(n);
            call();
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
        return out.putInt(0).putInt(opcode).putLong(unique++).putLong(node).putInt(0).putInt(0).putInt(1).putInt(0);
    }

    /** Sends the request and checks that it succeeded. */
    private ByteBuffer send() throws IOException, TimeoutException {
        ByteBuffer reply = call();
        if (reply.getInt(4) != 0) {
            throw failed(reply);
        }
        return reply;
    }

    private ByteBuffer call() throws IOException, TimeoutException {
        out.putInt(0, out.position()).flip();
        sent++;
        return queue.call(out, TIMEOUT_MILLIS);
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

package org.jvirtiofs.vhostuser;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalLong;
import org.jvirtiofs.api.Attr;
import org.jvirtiofs.api.AttrReply;
import org.jvirtiofs.api.Context;
import org.jvirtiofs.api.CreateReply;
import org.jvirtiofs.api.Entry;
import org.jvirtiofs.api.FileMode;
import org.jvirtiofs.api.FileName;
import org.jvirtiofs.api.FuseFilesystem;
import org.jvirtiofs.api.OpenFlags;
import org.jvirtiofs.api.OpenReply;
import org.jvirtiofs.api.ZeroCopyReader;
import org.jvirtiofs.api.ZeroCopyWriter;

/**
 * A provider that does no work of its own and makes no objects: one file, {@code "file"} (node
 * 2, handle 1; any other name is a cached negative entry), whose attributes and reply never
 * change, whose READ copies from one fixed buffer and whose WRITE copies into another. What
 * {@link HotPathBenchmark} measures with it is the request path alone (ring, session, transport
 * copies), free of a real provider's records and of the compiler's luck in taking them away.
 * Serves one queue: the buffers are shared.
 */
final class FixedFilesystem implements FuseFilesystem {
    private static final long NODE = 2;
    private static final long HANDLE = 1;
    private static final int SIZE = 128 << 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private final Attr attr = new Attr(NODE, SIZE, SIZE / 512, 0, 0, 0, 0, 0, 0,
        FileMode.S_IFREG | 0644, 1, 0, 0, 0, 4096, 0);
    private final AttrReply attrReply = new AttrReply(attr, TIMEOUT);
    private final Entry entry = new Entry(NODE, 0, attr, TIMEOUT, TIMEOUT);
    private final Entry negative = Entry.negative(TIMEOUT);
    private final CreateReply created = new CreateReply(entry, OpenReply.of(HANDLE));
    private final ByteBuffer contents = ByteBuffer.allocate(SIZE);
    private final ByteBuffer written = ByteBuffer.allocate(SIZE);
    private final FileName file = FileName.of("file");

    @Override
    public Entry lookup(Context ctx, long parent, FileName name) {
        if (parent == 1 && name.equals(file)) {
            return entry;
        }
        return negative;
    }

    @Override
    public AttrReply getattr(Context ctx, long nodeId, OptionalLong handle) {
        return attrReply;
    }

    @Override
    public CreateReply create(Context ctx, long parent, FileName name, int mode, OpenFlags flags,
            int umask, boolean killSuidgid) {
        return created;
    }

    @Override
    public int read(Context ctx, long nodeId, long handle, ZeroCopyWriter dst, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags) {
        int from = (int) Math.min(offset, SIZE);
        contents.limit(Math.min(SIZE, from + size)).position(from);
        return dst.write(contents);
    }

    @Override
    public int write(Context ctx, long nodeId, long handle, ZeroCopyReader src, int size,
            long offset, OptionalLong lockOwner, OpenFlags flags, int writeFlags) {
        written.clear();
        return src.read(written);
    }
}

package org.jvirtiofs.api;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What a provider leaves to the provider that replaces it under a live share (a hot swap): the
 * nodes and handles the guest holds, so the guest keeps using the same ids and never notices.
 *
 * <p>The share calls {@link FuseFilesystem#handover()} on the old provider after quiescing it
 * (no request in flight, none admitted), closes the old provider, and passes this object to
 * {@link FilesystemFactory#takeOver} of the new one; then it {@link #close() closes} it. Node and
 * handle ids, lookup counts and generations must be kept exactly: the guest's kernel holds them.
 *
 * <p>A node or handle may carry a host file descriptor (an O_PATH fd for a node, the open file
 * for a handle) that this object owns until it is closed: a taker that wants one duplicates it
 * (dup(2) shares the open file description, so file offsets and OFD/flock locks carry over, and
 * files unlinked while open stay reachable). Paths are relative to the share's root, as raw
 * bytes; a taker that serves a different tree may resolve them in its own (or answer ESTALE).
 *
 * @param providerType the type of the provider that made it
 * @param nodes the nodes with a lookup count above zero; the root (id 1) may be omitted
 * @param handles the open files and directories
 * @param locks the open file descriptions holding the guest's record locks
 * @param resources closes the descriptors the nodes and handles carry
 */
public record Handover(String providerType, List<Node> nodes, List<Handle> handles, List<Lock> locks,
        AutoCloseable resources) implements AutoCloseable {

    /**
     * A node the guest holds.
     *
     * @param nodeId the id the guest uses
     * @param generation its generation
     * @param lookups its lookup count
     * @param type the S_IF* file type bits
     * @param path the path from the share root (empty for the root); null if unknown, e.g. unlinked
     * @param fd an O_PATH descriptor owned by the handover, or -1
     */
    public record Node(long nodeId, long generation, long lookups, int type, byte[] path, int fd) {
    }

    /**
     * An open file or directory the guest holds.
     *
     * @param handle the handle the guest uses
     * @param nodeId the node it was opened on
     * @param directory whether it came from OPENDIR
     * @param flags the open(2) flags it was opened with on the host
     * @param fd the open descriptor owned by the handover, or -1
     * @param lockOwners the lock owners that hold record locks through it
     */
    public record Handle(long handle, long nodeId, boolean directory, int flags, int fd, Set<Long> lockOwners) {
    }

    /**
     * An open file description on which a guest lock owner holds record (OFD) locks; handing it
     * over keeps the locks, so host processes stay excluded across the swap.
     *
     * @param nodeId the node locked
     * @param owner the guest's lock owner
     * @param fd the descriptor owned by the handover
     */
    public record Lock(long nodeId, long owner, int fd) {
    }

    /** Keeps the lists; {@code resources} closes every descriptor named in them. */
    public Handover {
        Objects.requireNonNull(providerType, "providerType");
        nodes = List.copyOf(nodes);
        handles = List.copyOf(handles);
        locks = List.copyOf(locks);
        Objects.requireNonNull(resources, "resources");
        resources = once(resources);
    }

    /** A handover of nothing but the root: what a provider with no state to keep gives. */
    public static Handover empty(String providerType) {
        return new Handover(providerType, List.of(), List.of(), List.of(), () -> { });
    }

    /** The highest node id in use, at least the root's; a taker allocates new ids above it. */
    public long maxNodeId() {
        return Math.max(FuseFilesystem.FUSE_ROOT_ID, nodes.stream().mapToLong(Node::nodeId).max().orElse(0L));
    }

    /** The highest handle in use, or 0; a taker allocates new handles above it. */
    public long maxHandle() {
        return handles.stream().mapToLong(Handle::handle).max().orElse(0L);
    }

    /** Releases the descriptors this handover still owns; safe to call twice. */
    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the handover of " + providerType + " failed", e);
        }
    }

    private static AutoCloseable once(AutoCloseable resources) {
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                resources.close();
            }
        };
    }
}

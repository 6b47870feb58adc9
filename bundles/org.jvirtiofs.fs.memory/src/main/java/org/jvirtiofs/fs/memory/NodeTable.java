package org.jvirtiofs.fs.memory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import org.jvirtiofs.api.Errno;
import org.jvirtiofs.api.FsException;
import org.jvirtiofs.api.FuseFilesystem;

/**
 * Every live node by id: how the kernel's node ids are resolved, and where a node is dropped
 * once nothing keeps it (no name, no lookup reference, no open handle).
 *
 * <p>Ids come from a counter and are never reused, so an id the kernel still holds can never
 * name a different node. Whoever removes a node's last reason to live (FORGET, RELEASE,
 * UNLINK, RMDIR, RENAME over it) drops it; {@link Node#isUnreferenced()} decides under the
 * node's monitor, and once true it stays true: a node without a name or a reference cannot be
 * found again. The map is concurrent because FORGET and RELEASE drop nodes under the shared tree
 * lock.
 */
final class NodeTable {
    private final Map<Long, Node> nodes = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(FuseFilesystem.FUSE_ROOT_ID + 1);
    private final Capacity capacity;
    private final Directory root;

    /** A table holding only {@code root}, which must have {@link FuseFilesystem#FUSE_ROOT_ID}. */
    NodeTable(Capacity capacity, Directory root) {
        this.capacity = capacity;
        this.root = root;
        nodes.put(root.id(), root);
    }

    /** The root directory; it lives as long as the filesystem. */
    Directory root() {
        return root;
    }

    /** The node with {@code id}, or null. */
    Node find(long id) {
        return nodes.get(id);
    }

    /** The node with {@code id}; ESTALE if there is none (the kernel sent an id it forgot). */
    Node get(long id) throws FsException {
        Node node = nodes.get(id);
        if (node == null) {
            throw FsException.of(Errno.ESTALE);
        }
        return node;
    }

    /** The directory with {@code id}; ENOTDIR if it is something else. */
    Directory directory(long id) throws FsException {
        if (get(id) instanceof Directory directory) {
            return directory;
        }
        throw FsException.of(Errno.ENOTDIR);
    }

    /** Creates a node with a fresh id, counting it against the inode limit (ENOSPC). */
    <N extends Node> N add(LongFunction<N> create) throws FsException {
        capacity.reserveInode();
        N node = create.apply(nextId.getAndIncrement());
        nodes.put(node.id(), node);
        return node;
    }

    /** FORGET: the kernel drops {@code count} references. */
    void forget(Node node, long count) {
        if (node.forget(count)) {
            drop(node);
        }
    }

    /** A handle on {@code node} was closed. */
    void closed(Node node) {
        if (node.close()) {
            drop(node);
        }
    }

    /** {@code node} lost a name (or all of them). */
    void unlinked(Node node) {
        if (node.isUnreferenced()) {
            drop(node);
        }
    }

    /** How many nodes are alive, the root included. */
    int size() {
        return nodes.size();
    }

    /** Drops every node but the root and empties it (DESTROY); the caller excludes all others. */
    void clear() {
        for (Node node : nodes.values()) {
            if (node != root) {
                drop(node);
            }
        }
        root.clear();
        root.setLinks(2);
    }

    private void drop(Node node) {
        // remove(key, value) succeeds once, so a node is freed once even if two paths race here
        if (node != root && nodes.remove(node.id(), node)) {
            node.releaseStorage();
            capacity.releaseInode();
        }
    }
}

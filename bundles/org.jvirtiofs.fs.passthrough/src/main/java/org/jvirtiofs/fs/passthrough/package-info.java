/**
 * The passthrough provider: a host directory shared with POSIX semantics, confined to it.
 *
 * <p>Read it in this order: {@link org.jvirtiofs.fs.passthrough.PassthroughFilesystem} (the
 * {@code FuseFilesystem}: readonly checks and dispatch), {@code InodeTable} and {@code Inode}
 * (node ids, lookup counts, O_PATH fds or file handles), {@code Confinement} (how a name is opened
 * without ever leaving the share), then the operation groups {@code NameOps}, {@code AttrOps},
 * {@code FileOps}, {@code DirOps}, {@code XattrOps}, {@code LockOps}, and finally
 * {@link org.jvirtiofs.fs.passthrough.PassthroughFilesystemFactory} and its
 * {@code PassthroughOptions}.
 *
 * <p>Every native call goes through {@code org.jvirtiofs.posix}. Nothing here is exported.
 */
package org.jvirtiofs.fs.passthrough;

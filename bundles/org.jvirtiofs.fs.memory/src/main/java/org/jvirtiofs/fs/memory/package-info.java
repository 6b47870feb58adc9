/**
 * An in-memory filesystem provider, and the reference example for writing your own.
 *
 * <p>Read it in this order: {@link org.jvirtiofs.fs.memory.MemoryFilesystem} (the
 * {@code FuseFilesystem}, its locking scheme and choices), {@code NodeTable} (node ids, lookup
 * counts and when a node may go), {@code Node} and its kinds, {@code FileData} (sparse file
 * contents), {@code Directory} (names and stable readdir cookies) and {@code Listing}, {@code Namespace}
 * and {@code Rename} (changes to names), then
 * {@link org.jvirtiofs.fs.memory.MemoryFilesystemFactory} and its {@code MemoryOptions}.
 *
 * <p>Nothing here is exported: other bundles reach the provider only through the
 * {@code FilesystemFactory} service.
 */
package org.jvirtiofs.fs.memory;

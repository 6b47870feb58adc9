package org.jvirtiofs.api;

/**
 * One node of a BATCH_FORGET: {@code struct fuse_forget_one}.
 *
 * @param nodeId the node
 * @param nlookup how many lookup references the kernel drops
 */
public record ForgetOne(long nodeId, long nlookup) {
}

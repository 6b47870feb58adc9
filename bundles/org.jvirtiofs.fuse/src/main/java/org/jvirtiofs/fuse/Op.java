package org.jvirtiofs.fuse;

import org.jvirtiofs.api.FsException;

/** One opcode's handler: decode, call the provider, encode; returns the reply length. */
@FunctionalInterface
interface Op {
    int handle(FuseRequest request) throws FsException;
}

package org.jvirtiofs.posix.jnr;

import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * The libc functions a daemon calls before its vhost-user socket exists (the open-files limit,
 * the shared directory's first opens and stats, the socket and its eventfd), and those it then
 * needs first: accepting QEMU, reading and writing eventfds, polling. Bound alone and first, as
 * {@link LibC} is bound on another thread meanwhile: jnr-ffi's binding costs about 1.6 ms per
 * method, run cold, and LibC has 52. Conventions as in {@link LibC}.
 */
public interface EarlyLibC {
    @SaveError int openat(int dirfd, @Encoding("UTF-8") String path, int flags, int mode);

    @SaveError int statx(int dirfd, @Encoding("UTF-8") String path, int flags, int mask, long statxbuf);

    @SaveError int openat(int dirfd, @In byte[] path, int flags, int mode);

    @SaveError int statx(int dirfd, @In byte[] path, int flags, int mask, long statxbuf);

    @SaveError int fstatat(int dirfd, @In byte[] path, long statbuf, int flags);

    @SaveError int fstatat(int dirfd, @Encoding("UTF-8") String path, long statbuf, int flags);

    @SaveError long read(int fd, long buf, long count);

    @SaveError long write(int fd, long buf, long count);

    @SaveError int poll(long fds, long nfds, int timeout);

    @SaveError int eventfd(int initval, int flags);

    @SaveError int socket(int domain, int type, int protocol);

    @SaveError int bind(int sockfd, long addr, int addrlen);

    @SaveError int listen(int sockfd, int backlog);

    /** addr and addrlen may both be 0 when the peer address is not wanted. */
    @SaveError int accept4(int sockfd, long addr, long addrlen, int flags);

    @SaveError int getrlimit(int resource, long rlim);

    @SaveError int setrlimit(int resource, long rlim);
}

package org.jvirtiofs.posix.jnr;

import jnr.ffi.annotations.Encoding;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The libc functions jnr-posix lacks, one method per C prototype (Linux x86_64, glibc 2.36),
 * but for those a daemon calls before its socket exists, which {@link EarlyLibC} binds first.
 *
 * <p>Pointers to structs and to caller memory are plain {@code long} addresses: the callers
 * lay structs out in per-thread direct buffers and pass direct ByteBuffer memory without
 * copying. Signatures carry only Java types, so an FFM implementation could implement this
 * same interface. Paths are C strings in UTF-8 whatever the JVM's default charset; the
 * {@code byte[]} overloads take names as the exact bytes, NUL-terminated by the caller, for file
 * names that are not UTF-8.
 */
public interface LibC {
    /** syscall(2) number of openat2, which glibc 2.36 does not wrap. */
    long SYS_OPENAT2 = 437;

    /** syscall(SYS_openat2, dirfd, path, struct open_how *how, size_t size). */
    @SaveError long syscall(long number, int dirfd, @Encoding("UTF-8") String path, long how, long size);

    @SaveError long syscall(long number, int dirfd, @In byte[] path, long how, long size);

    @SaveError int mkdirat(int dirfd, @In byte[] path, int mode);

    @SaveError int mknodat(int dirfd, @In byte[] path, int mode, long dev);

    @SaveError int symlinkat(@In byte[] target, int newdirfd, @In byte[] linkpath);

    @SaveError long readlinkat(int dirfd, @In byte[] path, @Out byte[] buf, long bufsize);

    @SaveError int linkat(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    @SaveError int unlinkat(int dirfd, @In byte[] path, int flags);

    @SaveError int renameat2(int olddirfd, @In byte[] oldpath, int newdirfd, @In byte[] newpath, int flags);

    @SaveError int mkdirat(int dirfd, @Encoding("UTF-8") String path, int mode);

    @SaveError int mknodat(int dirfd, @Encoding("UTF-8") String path, int mode, long dev);

    @SaveError int symlinkat(@Encoding("UTF-8") String target, int newdirfd, @Encoding("UTF-8") String linkpath);

    @SaveError long readlinkat(int dirfd, @Encoding("UTF-8") String path, @Out byte[] buf, long bufsize);

    @SaveError int linkat(int olddirfd, @Encoding("UTF-8") String oldpath, int newdirfd,
                          @Encoding("UTF-8") String newpath, int flags);

    @SaveError int unlinkat(int dirfd, @Encoding("UTF-8") String path, int flags);

    @SaveError int renameat2(int olddirfd, @Encoding("UTF-8") String oldpath, int newdirfd,
                             @Encoding("UTF-8") String newpath, int flags);

    @SaveError int fchmodat(int dirfd, @Encoding("UTF-8") String path, int mode, int flags);

    @SaveError int fchownat(int dirfd, @Encoding("UTF-8") String path, int owner, int group, int flags);

    /** times is the address of struct timespec[2], or 0 for "both now". */
    @SaveError int utimensat(int dirfd, @Encoding("UTF-8") String path, long times, int flags);

    @SaveError long getdents64(int fd, long dirp, long count);

    @SaveError int statfs(@Encoding("UTF-8") String path, long buf);

    @SaveError int fstatfs(int fd, long buf);

    @SaveError int syncfs(int fd);

    @SaveError int name_to_handle_at(int dirfd, @Encoding("UTF-8") String path, long handle, long mountId, int flags);

    @SaveError int open_by_handle_at(int mountFd, long handle, int flags);

    @SaveError long preadv(int fd, long iov, int iovcnt, long offset);

    @SaveError long pwritev(int fd, long iov, int iovcnt, long offset);

    @SaveError int fallocate(int fd, int mode, long offset, long len);

    @SaveError long lseek(int fd, long offset, int whence);

    /** offIn/offOut are addresses of loff_t, or 0 to use and move the file position. */
    @SaveError long copy_file_range(int fdIn, long offIn, int fdOut, long offOut, long len, int flags);

    @SaveError int pipe2(@Out int[] fds, int flags);

    /** The struct-pointer form of fcntl, for the F_OFD_* lock commands. */
    @SaveError int fcntl(int fd, int cmd, long arg);

    @SaveError long fgetxattr(int fd, @Encoding("UTF-8") String name, @Out byte[] value, long size);

    @SaveError int fsetxattr(int fd, @Encoding("UTF-8") String name, @In byte[] value, long size, int flags);

    @SaveError long flistxattr(int fd, @Out byte[] list, long size);

    @SaveError int fremovexattr(int fd, @Encoding("UTF-8") String name);

    @SaveError long getxattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name,
                             @Out byte[] value, long size);

    @SaveError int setxattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name,
                            @In byte[] value, long size, int flags);

    @SaveError long listxattr(@Encoding("UTF-8") String path, @Out byte[] list, long size);

    @SaveError int removexattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name);

    @SaveError long lgetxattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name,
                              @Out byte[] value, long size);

    @SaveError int lsetxattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name,
                             @In byte[] value, long size, int flags);

    @SaveError long llistxattr(@Encoding("UTF-8") String path, @Out byte[] list, long size);

    @SaveError int lremovexattr(@Encoding("UTF-8") String path, @Encoding("UTF-8") String name);

    @SaveError long mmap(long addr, long length, int prot, int flags, int fd, long offset);

    @SaveError int munmap(long addr, long length);

    @SaveError int memfd_create(@Encoding("UTF-8") String name, int flags);

    @SaveError int connect(int sockfd, long addr, int addrlen);

    @SaveError int mount(@Encoding("UTF-8") String source, @Encoding("UTF-8") String target,
                         @Encoding("UTF-8") String fstype, long flags, @Encoding("UTF-8") String data);

    @SaveError int umount2(@Encoding("UTF-8") String target, int flags);

    /** Returns the previous fsuid; reports no errors. */
    int setfsuid(int fsuid);

    /** Returns the previous fsgid; reports no errors. */
    int setfsgid(int fsgid);
}

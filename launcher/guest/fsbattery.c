/*
 * fsbattery: the filesystem battery the test guests run on a mounted share.
 *
 * Busybox has no tools for xattrs, SEEK_HOLE, renameat2 or nanosecond utimensat, so the
 * battery is one small static program. Each check prints "ok NAME" or "FAIL NAME: why";
 * the last line is "JVFS-BATTERY: P passed, F failed". Exit status: 0 only if all passed.
 *
 * Usage: fsbattery DIR   (DIR must exist and be empty; it is left empty)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

static int passed, failed;
static char failure[512];

/* Records why the current check failed; returns -1 so checks can `return fail(...)`. */
static int fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure, sizeof failure, fmt, ap);
    va_end(ap);
    return -1;
}

#define CHECK(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)
#define SYS(call) do { if ((call) < 0) return fail("%s: %s", #call, strerror(errno)); } while (0)

static void run(const char *name, int (*check)(void)) {
    failure[0] = 0;
    if (check() == 0) {
        passed++;
        printf("ok %s\n", name);
    } else {
        failed++;
        printf("FAIL %s: %s\n", name, failure);
    }
    fflush(stdout);
}

static unsigned char pattern(long i) {
    return (unsigned char) ((i * 7 + (i >> 9)) & 0xff);
}

static int write_pattern(int fd, long offset, long length) {
    static unsigned char buf[65536];
    for (long done = 0; done < length;) {
        long n = length - done < (long) sizeof buf ? length - done : (long) sizeof buf;
        for (long i = 0; i < n; i++) {
            buf[i] = pattern(offset + done + i);
        }
        ssize_t w = pwrite(fd, buf, n, offset + done);
        if (w <= 0) {
            return fail("pwrite at %ld: %s", offset + done, strerror(errno));
        }
        done += w;
    }
    return 0;
}

static int verify_pattern(int fd, long offset, long length) {
    static unsigned char buf[65536];
    for (long done = 0; done < length;) {
        long n = length - done < (long) sizeof buf ? length - done : (long) sizeof buf;
        ssize_t r = pread(fd, buf, n, offset + done);
        if (r <= 0) {
            return fail("pread at %ld: %s", offset + done, r == 0 ? "EOF" : strerror(errno));
        }
        for (long i = 0; i < r; i++) {
            if (buf[i] != pattern(offset + done + i)) {
                return fail("byte %ld is %d, wrote %d", offset + done + i, buf[i], pattern(offset + done + i));
            }
        }
        done += r;
    }
    return 0;
}

static int create_write_read(void) {
    int fd = open("data", O_CREAT | O_EXCL | O_RDWR, 0644);
    SYS(fd);
    if (write_pattern(fd, 0, 1 << 20) || verify_pattern(fd, 0, 1 << 20)) {
        return -1;
    }
    SYS(close(fd));
    CHECK(open("data", O_CREAT | O_EXCL | O_RDWR, 0644) < 0 && errno == EEXIST, "O_EXCL on an existing file");
    fd = open("data", O_RDONLY);
    SYS(fd);
    int bad = verify_pattern(fd, 0, 1 << 20);
    close(fd);
    return bad;
}

static int append(void) {
    int fd = open("data", O_WRONLY | O_APPEND);
    SYS(fd);
    SYS(write(fd, "tail", 4));
    SYS(close(fd));
    struct stat st;
    SYS(stat("data", &st));
    CHECK(st.st_size == (1 << 20) + 4, "size after append is %lld", (long long) st.st_size);
    char buf[4];
    fd = open("data", O_RDONLY);
    SYS(fd);
    CHECK(pread(fd, buf, 4, 1 << 20) == 4 && memcmp(buf, "tail", 4) == 0, "appended bytes");
    return close(fd);
}

static int truncate_file(void) {
    int fd = open("data", O_RDWR);
    SYS(fd);
    SYS(ftruncate(fd, 1000));
    struct stat st;
    SYS(fstat(fd, &st));
    CHECK(st.st_size == 1000, "size %lld after shrinking", (long long) st.st_size);
    SYS(ftruncate(fd, 5000));
    char buf[4000];
    CHECK(pread(fd, buf, sizeof buf, 1000) == (ssize_t) sizeof buf, "read of the grown part");
    for (size_t i = 0; i < sizeof buf; i++) {
        CHECK(buf[i] == 0, "byte %zu of the grown part is not zero", 1000 + i);
    }
    int bad = verify_pattern(fd, 0, 1000);
    close(fd);
    return bad;
}

static int rename_files(void) {
    SYS(rename("data", "renamed"));
    CHECK(access("data", F_OK) < 0 && errno == ENOENT, "old name still there");
    int fd = open("other", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    close(fd);
    SYS(rename("other", "renamed")); /* over an existing file */
    struct stat st;
    SYS(stat("renamed", &st));
    CHECK(st.st_size == 0, "rename over existing kept the old content");
    fd = open("third", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    close(fd);
    long r = syscall(SYS_renameat2, AT_FDCWD, "third", AT_FDCWD, "renamed", 1 /* RENAME_NOREPLACE */);
    CHECK(r < 0 && errno == EEXIST, "RENAME_NOREPLACE over an existing name: %s", r < 0 ? strerror(errno) : "ok");
    SYS(unlink("third"));
    SYS(unlink("renamed"));
    CHECK(access("renamed", F_OK) < 0 && errno == ENOENT, "unlinked name still there");
    return 0;
}

static int directories(void) {
    SYS(mkdir("d", 0755));
    SYS(mkdir("d/sub", 0700));
    CHECK(rmdir("d") < 0 && errno == ENOTEMPTY, "rmdir of a non-empty dir");
    struct stat st;
    SYS(stat("d", &st));
    CHECK(S_ISDIR(st.st_mode) && st.st_nlink == 3, "dir nlink %lu", (unsigned long) st.st_nlink);
    SYS(rmdir("d/sub"));
    SYS(rmdir("d"));
    CHECK(mkdir("missing/x", 0755) < 0 && errno == ENOENT, "mkdir under a missing parent");
    return 0;
}

static int many_entries(void) {
    enum { N = 10000 };
    char name[64];
    SYS(mkdir("many", 0755));
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "many/entry-%05d", i);
        int fd = open(name, O_CREAT | O_WRONLY, 0644);
        SYS(fd);
        close(fd);
    }
    DIR *dir = opendir("many");
    CHECK(dir != NULL, "opendir: %s", strerror(errno));
    static unsigned char seen[N];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        int i;
        if (sscanf(e->d_name, "entry-%05d", &i) == 1 && i >= 0 && i < N && !seen[i]) {
            seen[i] = 1;
            count++;
        } else if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            closedir(dir);
            return fail("unexpected or repeated entry %s", e->d_name);
        }
    }
    closedir(dir);
    CHECK(count == N, "readdir saw %d of %d entries", count, N);
    for (int i = 0; i < N; i++) {
        snprintf(name, sizeof name, "many/entry-%05d", i);
        SYS(unlink(name));
    }
    SYS(rmdir("many"));
    return 0;
}

static int links(void) {
    int fd = open("target", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    SYS(write(fd, "x", 1));
    close(fd);
    SYS(symlink("target", "soft"));
    char buf[64];
    ssize_t n = readlink("soft", buf, sizeof buf);
    CHECK(n == 6 && memcmp(buf, "target", 6) == 0, "readlink");
    struct stat st;
    SYS(lstat("soft", &st));
    CHECK(S_ISLNK(st.st_mode), "lstat of a symlink");
    SYS(link("target", "hard"));
    SYS(stat("target", &st));
    CHECK(st.st_nlink == 2, "nlink %lu after link", (unsigned long) st.st_nlink);
    SYS(unlink("target"));
    SYS(stat("hard", &st));
    CHECK(st.st_nlink == 1 && st.st_size == 1, "the hard link outlives the first name");
    CHECK(stat("soft", &st) < 0 && errno == ENOENT, "a dangling symlink resolves");
    SYS(unlink("soft"));
    SYS(unlink("hard"));
    return 0;
}

static int modes_and_times(void) {
    int fd = open("meta", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    close(fd);
    SYS(chmod("meta", 0600));
    struct stat st;
    SYS(stat("meta", &st));
    CHECK((st.st_mode & 07777) == 0600, "mode %o after chmod", st.st_mode & 07777);
    struct timespec times[2] = {{1000000000, 123456789}, {1500000000, 987654321}};
    SYS(utimensat(AT_FDCWD, "meta", times, 0));
    SYS(stat("meta", &st));
    CHECK(st.st_atim.tv_sec == 1000000000 && st.st_atim.tv_nsec == 123456789, "atime with nanoseconds");
    CHECK(st.st_mtim.tv_sec == 1500000000 && st.st_mtim.tv_nsec == 987654321, "mtime with nanoseconds");
    SYS(unlink("meta"));
    return 0;
}

static int xattrs(void) {
    int fd = open("xa", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    close(fd);
    SYS(setxattr("xa", "user.colour", "blue", 4, XATTR_CREATE));
    CHECK(setxattr("xa", "user.colour", "red", 3, XATTR_CREATE) < 0 && errno == EEXIST, "XATTR_CREATE twice");
    char buf[64];
    CHECK(getxattr("xa", "user.colour", buf, sizeof buf) == 4 && memcmp(buf, "blue", 4) == 0, "getxattr");
    CHECK(getxattr("xa", "user.colour", NULL, 0) == 4, "getxattr size query");
    ssize_t n = listxattr("xa", buf, sizeof buf);
    CHECK(n > 0 && memmem(buf, n, "user.colour", 12) != NULL, "listxattr");
    SYS(removexattr("xa", "user.colour"));
    CHECK(getxattr("xa", "user.colour", buf, sizeof buf) < 0 && errno == ENODATA, "removed xattr still there");
    SYS(unlink("xa"));
    return 0;
}

static int statfs_and_sync(void) {
    struct statfs sf;
    SYS(statfs(".", &sf));
    CHECK(sf.f_bsize > 0 && sf.f_blocks > 0, "statfs bsize %ld blocks %ld", (long) sf.f_bsize, (long) sf.f_blocks);
    int fd = open("synced", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    SYS(write(fd, "durable", 7));
    SYS(fsync(fd));
    SYS(fdatasync(fd));
    SYS(close(fd));
    SYS(unlink("synced"));
    return 0;
}

static int sparse_and_holes(void) {
    const long far = 8L << 20;
    int fd = open("sparse", O_CREAT | O_RDWR, 0644);
    SYS(fd);
    if (write_pattern(fd, 0, 4096) || write_pattern(fd, far, 4096)) {
        return -1;
    }
    off_t hole = lseek(fd, 0, SEEK_HOLE);
    CHECK(hole >= 4096 && hole < far, "SEEK_HOLE from 0 gave %lld", (long long) hole);
    off_t data = lseek(fd, hole, SEEK_DATA);
    CHECK(data > hole && data <= far, "SEEK_DATA from the hole gave %lld", (long long) data);
    char buf[4096];
    CHECK(pread(fd, buf, sizeof buf, far / 2) == (ssize_t) sizeof buf, "read in the hole");
    for (size_t i = 0; i < sizeof buf; i++) {
        CHECK(buf[i] == 0, "the hole reads non-zero");
    }
    int bad = verify_pattern(fd, far, 4096);
    close(fd);
    SYS(unlink("sparse"));
    return bad;
}

static int large_file(void) {
    const long size = 48L << 20;
    int fd = open("large", O_CREAT | O_RDWR | O_TRUNC, 0644);
    SYS(fd);
    if (write_pattern(fd, 0, size)) {
        return -1;
    }
    SYS(fsync(fd));
    SYS(close(fd));
    fd = open("large", O_RDONLY);
    SYS(fd);
    int bad = verify_pattern(fd, 0, size);
    close(fd);
    SYS(unlink("large"));
    return bad;
}

static int unlinked_but_open(void) {
    int fd = open("ghost", O_CREAT | O_RDWR, 0644);
    SYS(fd);
    SYS(unlink("ghost"));
    CHECK(access("ghost", F_OK) < 0 && errno == ENOENT, "the name is still there");
    if (write_pattern(fd, 0, 100000) || verify_pattern(fd, 0, 100000)) {
        return -1;
    }
    struct stat st;
    SYS(fstat(fd, &st));
    CHECK(st.st_nlink == 0 && st.st_size == 100000, "fstat of an unlinked file: nlink %lu size %lld",
          (unsigned long) st.st_nlink, (long long) st.st_size);
    return close(fd);
}

static int special_files(void) {
    SYS(mkfifo("fifo", 0600));
    SYS(mknod("null", S_IFCHR | 0666, makedev(1, 3)));
    struct stat st;
    SYS(lstat("fifo", &st));
    CHECK(S_ISFIFO(st.st_mode) && (st.st_mode & 07777) == 0600, "fifo mode %o", st.st_mode);
    SYS(lstat("null", &st));
    CHECK(S_ISCHR(st.st_mode) && major(st.st_rdev) == 1 && minor(st.st_rdev) == 3, "device node %u:%u",
          major(st.st_rdev), minor(st.st_rdev));
    SYS(unlink("fifo"));
    SYS(unlink("null"));
    return 0;
}

static int ownership(void) {
    int fd = open("owned", O_CREAT | O_WRONLY, 0644);
    SYS(fd);
    close(fd);
    SYS(chown("owned", 1234, 5678));
    struct stat st;
    SYS(stat("owned", &st));
    CHECK(st.st_uid == 1234 && st.st_gid == 5678, "owner %u:%u after chown", st.st_uid, st.st_gid);
    SYS(lchown("owned", 0, 0));
    SYS(unlink("owned"));
    return 0;
}

static int beyond_4gib(void) {
    const long far = 5L << 30;
    int fd = open("huge", O_CREAT | O_RDWR, 0644);
    SYS(fd);
    if (write_pattern(fd, far, 8192) || verify_pattern(fd, far, 8192)) {
        return -1;
    }
    struct stat st;
    SYS(fstat(fd, &st));
    CHECK(st.st_size == far + 8192, "size %lld", (long long) st.st_size);
    char buf[16];
    CHECK(pread(fd, buf, sizeof buf, 4L << 30) == (ssize_t) sizeof buf && buf[0] == 0 && buf[15] == 0,
          "the hole at 4 GiB");
    close(fd);
    SYS(unlink("huge"));
    return 0;
}

/*
 * Locks that wait until granted, POSIX and flock, held by another process: the mount goes on
 * serving meanwhile (a file is made while the child waits), and the holder's release, a
 * request after the waiting one, lets the child in.
 */
static int waiting_locks(void) {
    int a = open("waited", O_CREAT | O_RDWR, 0644);
    SYS(a);
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    SYS(fcntl(a, F_SETLK, &lk));
    SYS(flock(a, LOCK_EX));
    pid_t child = fork();
    SYS(child);
    if (child == 0) {
        close(a); /* the flock is the description's: only the parent's copy may hold it */
        int c = open("waited", O_RDWR);
        struct flock w = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
        /* F_GETLK names the holder: the parent */
        struct flock q = w;
        if (c < 0 || fcntl(c, F_GETLK, &q) < 0 || q.l_type != F_WRLCK || q.l_pid != getppid()) {
            _exit(5);
        }
        _exit(fcntl(c, F_SETLKW, &w) < 0 ? 3 : flock(c, LOCK_EX) < 0 ? 4 : 0);
    }
    usleep(300 * 1000); /* the child is waiting for the POSIX lock by now */
    int meanwhile = open("made-meanwhile", O_CREAT | O_EXCL | O_RDWR, 0644);
    SYS(meanwhile);
    close(meanwhile);
    close(a); /* releases the POSIX lock (FLUSH), then the flock (RELEASE) */
    int status;
    SYS(waitpid(child, &status, 0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the waiting child: status 0x%x", status);
    SYS(unlink("made-meanwhile"));
    SYS(unlink("waited"));
    return 0;
}

static int locks(void) {
    int a = open("locked", O_CREAT | O_RDWR, 0644);
    SYS(a);
    int b = open("locked", O_RDWR);
    SYS(b);
    SYS(flock(a, LOCK_EX));
    CHECK(flock(b, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK, "a second flock got the lock");
    SYS(flock(a, LOCK_UN));
    SYS(flock(b, LOCK_EX | LOCK_NB));
    SYS(flock(b, LOCK_UN));
    /* byte-range locks on two open file descriptions conflict even in one process */
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 100};
    SYS(fcntl(a, F_OFD_SETLK, &lk));
    struct flock other = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 50, .l_len = 10};
    CHECK(fcntl(b, F_OFD_SETLK, &other) < 0 && (errno == EAGAIN || errno == EACCES), "overlapping fcntl lock granted");
    struct flock probe = other;
    SYS(fcntl(b, F_OFD_GETLK, &probe));
    CHECK(probe.l_type == F_WRLCK && probe.l_start == 0 && probe.l_len == 100, "F_GETLK does not report the lock");
    close(a);
    SYS(fcntl(b, F_OFD_SETLK, &other)); /* released when its description closed */
    close(b);
    SYS(unlink("locked"));
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2 || chdir(argv[1]) < 0) {
        fprintf(stderr, "usage: fsbattery DIR (an existing, empty directory)\n");
        return 2;
    }
    run("create-write-read", create_write_read);
    run("append", append);
    run("truncate", truncate_file);
    run("rename-unlink", rename_files);
    run("mkdir-rmdir", directories);
    run("readdir-10000", many_entries);
    run("symlink-hardlink", links);
    run("chmod-utimes", modes_and_times);
    run("xattr", xattrs);
    run("statfs-fsync", statfs_and_sync);
    run("sparse-seek-hole", sparse_and_holes);
    run("large-file", large_file);
    run("unlinked-but-open", unlinked_but_open);
    run("fifo-mknod", special_files);
    run("chown", ownership);
    run("sparse-beyond-4gib", beyond_4gib);
    run("flock-fcntl-locks", locks);
    run("waiting-locks", waiting_locks);
    printf("JVFS-BATTERY: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}

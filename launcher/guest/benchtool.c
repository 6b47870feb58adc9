/*
 * The benchmark guest's workload driver: what busybox would do one process per file (and so
 * measure the guest's fork and exec instead of the filesystem), done in one process.
 * Every subcommand prints one line per phase: "PHASE SECONDS", timed with CLOCK_MONOTONIC.
 *
 *   benchtool now                      monotonic seconds, for timing shell steps
 *   benchtool statall DIR              lstat every entry of the tree       (phase stat-all)
 *   benchtool readall DIR PHASE        read every regular file of the tree (phase PHASE)
 *   benchtool meta DIR N               N files: create, rename, chmod, stat, unlink
 *   benchtool dirs DIR N               N directories: mkdir, rmdir
 *   benchtool links DIR N              N files: symlink + readlink, hard link, unlink
 *   benchtool seqwrite FILE MIB        sequential 1 MiB writes, then fsync  (phase seq-write)
 *   benchtool seqread FILE             sequential 1 MiB reads               (phase seq-read)
 *   benchtool openclose FILE N         N opens and closes of one file       (phase open-close)
 *
 * Exit status 1 with a message on stderr at the first failing call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *path) {
    fprintf(stderr, "benchtool: %s %s: %s\n", what, path, strerror(errno));
    exit(1);
}

static void phase(const char *name, double start) {
    printf("%s %.3f\n", name, now() - start);
    fflush(stdout);
}

static long entries;
static char buffer[1 << 20];

static int stat_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    struct stat again;
    (void) st; (void) type; (void) ftw;
    if (lstat(path, &again) != 0) {
        die("lstat", path);
    }
    entries++;
    return 0;
}

/* reads the whole file, 1 MiB at a time */
static void read_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        die("open", path);
    }
    ssize_t n;
    while ((n = read(fd, buffer, sizeof buffer)) > 0) {
    }
    if (n < 0) {
        die("read", path);
    }
    close(fd);
}

static int read_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void) ftw;
    if (type == FTW_F && S_ISREG(st->st_mode)) {
        read_file(path);
        entries++;
    }
    return 0;
}

static void name(char *out, size_t size, const char *dir, const char *prefix, long i) {
    snprintf(out, size, "%s/%s%06ld", dir, prefix, i);
}

/* One step of a phase on entry i of dir: 0 or -1 with errno set and the failing path in path. */
typedef int (*step)(const char *dir, long i, char *path, size_t size);

static void steps(const char *phase_name, const char *dir, long n, step op) {
    char path[4096];
    double t = now();
    for (long i = 0; i < n; i++) {
        if (op(dir, i, path, sizeof path) != 0) {
            die(phase_name, path);
        }
    }
    phase(phase_name, t);
}

static int create_one(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "f", i);
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY, 0644);
    return fd < 0 ? -1 : close(fd);
}

static int rename_one(const char *dir, long i, char *path, size_t size) {
    char to[4096];
    name(path, size, dir, "f", i);
    name(to, sizeof to, dir, "r", i);
    return rename(path, to);
}

static int chmod_one(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "r", i);
    return chmod(path, 0600);
}

static int stat_one_file(const char *dir, long i, char *path, size_t size) {
    struct stat st;
    name(path, size, dir, "r", i);
    return stat(path, &st);
}

static int unlink_one(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "r", i);
    return unlink(path);
}

static int mkdir_one(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "d", i);
    return mkdir(path, 0755);
}

static int rmdir_one(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "d", i);
    return rmdir(path);
}

static int symlink_one(const char *dir, long i, char *path, size_t size) {
    char got[16];
    name(path, size, dir, "s", i);
    if (symlink("target", path) != 0) {
        return -1;
    }
    ssize_t len = readlink(path, got, sizeof got);
    if (len != 6 || memcmp(got, "target", 6) != 0) {
        errno = len < 0 ? errno : EIO;
        return -1;
    }
    return 0;
}

static int link_one(const char *dir, long i, char *path, size_t size) {
    char target[4096];
    snprintf(target, sizeof target, "%s/target", dir);
    name(path, size, dir, "h", i);
    return link(target, path);
}

static int unlink_links(const char *dir, long i, char *path, size_t size) {
    name(path, size, dir, "s", i);
    if (unlink(path) != 0) {
        return -1;
    }
    name(path, size, dir, "h", i);
    return unlink(path);
}

static void meta(const char *dir, long n) {
    steps("create", dir, n, create_one);
    steps("rename", dir, n, rename_one);
    steps("chmod", dir, n, chmod_one);
    steps("stat", dir, n, stat_one_file);
    steps("unlink", dir, n, unlink_one);
}

static void dirs(const char *dir, long n) {
    steps("mkdir", dir, n, mkdir_one);
    steps("rmdir", dir, n, rmdir_one);
}

static void links(const char *dir, long n) {
    char target[4096];
    snprintf(target, sizeof target, "%s/target", dir);
    int fd = open(target, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) {
        die("create", target);
    }
    close(fd);
    steps("symlink-readlink", dir, n, symlink_one);
    steps("hardlink", dir, n, link_one);
    steps("link-unlink", dir, n, unlink_links);
    unlink(target);
}

/* N opens and closes of one file: OPEN, FLUSH and RELEASE each, a request's round trip */
static void openclose(const char *path, long n) {
    int fd = open(path, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) {
        die("create", path);
    }
    close(fd);
    double t = now();
    for (long i = 0; i < n; i++) {
        fd = open(path, O_RDONLY);
        if (fd < 0) {
            die("open", path);
        }
        close(fd);
    }
    phase("open-close", t);
    unlink(path);
}

static void seqwrite(const char *path, long mib) {
    memset(buffer, 0x5a, sizeof buffer);
    double t = now();
    int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644);
    if (fd < 0) {
        die("create", path);
    }
    for (long i = 0; i < mib; i++) {
        if (write(fd, buffer, sizeof buffer) != (ssize_t) sizeof buffer) {
            die("write", path);
        }
    }
    if (fsync(fd) != 0) {
        die("fsync", path);
    }
    close(fd);
    phase("seq-write", t);
}

static void seqread(const char *path) {
    double t = now();
    read_file(path);
    phase("seq-read", t);
}

int main(int argc, char **argv) {
    if (argc >= 2 && strcmp(argv[1], "now") == 0) {
        printf("%.6f\n", now());
    } else if (argc == 3 && strcmp(argv[1], "statall") == 0) {
        double t = now();
        if (nftw(argv[2], stat_one, 64, FTW_PHYS) != 0) {
            die("nftw", argv[2]);
        }
        phase("stat-all", t);
    } else if (argc == 4 && strcmp(argv[1], "readall") == 0) {
        double t = now();
        if (nftw(argv[2], read_one, 64, FTW_PHYS) != 0) {
            die("nftw", argv[2]);
        }
        phase(argv[3], t);
    } else if (argc == 4 && strcmp(argv[1], "meta") == 0) {
        meta(argv[2], atol(argv[3]));
    } else if (argc == 4 && strcmp(argv[1], "dirs") == 0) {
        dirs(argv[2], atol(argv[3]));
    } else if (argc == 4 && strcmp(argv[1], "links") == 0) {
        links(argv[2], atol(argv[3]));
    } else if (argc == 4 && strcmp(argv[1], "openclose") == 0) {
        openclose(argv[2], atol(argv[3]));
    } else if (argc == 4 && strcmp(argv[1], "seqwrite") == 0) {
        seqwrite(argv[2], atol(argv[3]));
    } else if (argc == 3 && strcmp(argv[1], "seqread") == 0) {
        seqread(argv[2]);
    } else {
        fprintf(stderr, "usage: benchtool now | statall DIR | readall DIR PHASE | meta DIR N | dirs DIR N"
                        " | links DIR N | seqwrite FILE MIB | seqread FILE | openclose FILE N\n");
        return 2;
    }
    return 0;
}

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

static int read_one(const char *path, const struct stat *st, int type, struct FTW *ftw) {
    (void) ftw;
    if (type != FTW_F || !S_ISREG(st->st_mode)) {
        return 0;
    }
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
    entries++;
    return 0;
}

static void name(char *out, size_t size, const char *dir, const char *prefix, long i) {
    snprintf(out, size, "%s/%s%06ld", dir, prefix, i);
}

static void meta(const char *dir, long n) {
    char a[4096], b[4096];
    struct stat st;
    double t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "f", i);
        int fd = open(a, O_CREAT | O_EXCL | O_WRONLY, 0644);
        if (fd < 0) {
            die("create", a);
        }
        close(fd);
    }
    phase("create", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "f", i);
        name(b, sizeof b, dir, "r", i);
        if (rename(a, b) != 0) {
            die("rename", a);
        }
    }
    phase("rename", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(b, sizeof b, dir, "r", i);
        if (chmod(b, 0600) != 0) {
            die("chmod", b);
        }
    }
    phase("chmod", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(b, sizeof b, dir, "r", i);
        if (stat(b, &st) != 0) {
            die("stat", b);
        }
    }
    phase("stat", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(b, sizeof b, dir, "r", i);
        if (unlink(b) != 0) {
            die("unlink", b);
        }
    }
    phase("unlink", t);
}

static void dirs(const char *dir, long n) {
    char a[4096];
    double t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "d", i);
        if (mkdir(a, 0755) != 0) {
            die("mkdir", a);
        }
    }
    phase("mkdir", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "d", i);
        if (rmdir(a) != 0) {
            die("rmdir", a);
        }
    }
    phase("rmdir", t);
}

static void links(const char *dir, long n) {
    char target[4096], a[4096], b[4096], got[4096];
    snprintf(target, sizeof target, "%s/target", dir);
    int fd = open(target, O_CREAT | O_WRONLY, 0644);
    if (fd < 0) {
        die("create", target);
    }
    close(fd);
    double t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "s", i);
        if (symlink("target", a) != 0) {
            die("symlink", a);
        }
        ssize_t len = readlink(a, got, sizeof got);
        if (len != 6 || memcmp(got, "target", 6) != 0) {
            die("readlink", a);
        }
    }
    phase("symlink-readlink", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(b, sizeof b, dir, "h", i);
        if (link(target, b) != 0) {
            die("link", b);
        }
    }
    phase("hardlink", t);
    t = now();
    for (long i = 0; i < n; i++) {
        name(a, sizeof a, dir, "s", i);
        name(b, sizeof b, dir, "h", i);
        if (unlink(a) != 0) {
            die("unlink", a);
        }
        if (unlink(b) != 0) {
            die("unlink", b);
        }
    }
    phase("link-unlink", t);
    unlink(target);
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
    } else if (argc == 4 && strcmp(argv[1], "seqwrite") == 0) {
        seqwrite(argv[2], atol(argv[3]));
    } else if (argc == 3 && strcmp(argv[1], "seqread") == 0) {
        seqread(argv[2]);
    } else {
        fprintf(stderr, "usage: benchtool now | statall DIR | readall DIR PHASE | meta DIR N | dirs DIR N"
                        " | links DIR N | seqwrite FILE MIB | seqread FILE\n");
        return 2;
    }
    return 0;
}

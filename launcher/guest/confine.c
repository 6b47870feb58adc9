/*
 * confine: the confinement attacks a test guest runs against a mounted share.
 *
 * Each attack tries to read or change something outside the share through the share, and
 * prints "CONFINE NAME: held (what happened)" or "CONFINE NAME: ESCAPED what it got". The guest
 * can only see what it reads: a read that returns the outside marker is an escape. Writes,
 * links, attribute and xattr changes that reach outside files are invisible from here, so the
 * host compares the outside tree before and after the run (ctime included) as well.
 * The last line is "JVFS-CONFINE: N attacks, E escaped"; exit status 0 only if none escaped.
 *
 * Usage: confine MNT OUTSIDE INO [ROUNDS]
 *   MNT      the mounted share, prepared by the host (see itests ConfinementGuestTest):
 *              abs -> OUTSIDE, up -> ../outside, secretlink -> OUTSIDE/secret,
 *              race/{secret,victim} (the host swaps race with racelink -> OUTSIDE),
 *              flip/victim (the host swaps it with flip/decoy -> OUTSIDE/victim),
 *              cu/victim (on an overlay, in the lower layer; the host flaps cu -> OUTSIDE in the
 *              upper one),
 *              proc/ (a procfs mounted there by the host, optional), xdir/, xa
 *   OUTSIDE  the host path of the directory beside the share, whose files hold "OUTSIDE"
 *   INO      the host inode number of OUTSIDE/secret, for forging handles
 *   ROUNDS   iterations of each race (default 300)
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
#include <sys/xattr.h>
#include <unistd.h>

#define MARKER "OUTSIDE"

static const char *outside;
static unsigned long long secret_ino;
static int rounds = 300;
static int attacks, escapes;
static char escaped[512];
static char detail[256];

/* Records an escape; the attack goes on so every way out is reported. */
static void escape(const char *fmt, ...) {
    if (escaped[0]) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(escaped, sizeof escaped, fmt, ap);
    va_end(ap);
}

static void held(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
}

static void run(const char *name, void (*attack)(void)) {
    escaped[0] = 0;
    detail[0] = 0;
    attack();
    attacks++;
    if (escaped[0]) {
        escapes++;
        printf("CONFINE %s: ESCAPED %s\n", name, escaped);
    } else {
        printf("CONFINE %s: held (%s)\n", name, detail);
    }
    fflush(stdout);
}

/*
 * Reads what `path` opens to (following symlinks in the guest, as any program would) and
 * records an escape if it holds the marker. Returns 1 if it could be read at all.
 */
static int read_at(int dirfd, const char *path) {
    int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        return 0;
    }
    char buf[256];
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n > 0) {
        buf[n] = 0;
        if (strstr(buf, MARKER)) {
            escape("read %s: \"%.40s\"", path, buf);
        }
    }
    return n >= 0;
}

static int same(const char *got, const char *want) {
    return got && strcmp(got, want) == 0;
}

static const char *link_of(const char *path) {
    static char buf[4096];
    ssize_t n = readlink(path, buf, sizeof buf - 1);
    if (n < 0) {
        return NULL;
    }
    buf[n] = 0;
    return buf;
}

static char *cat(const char *a, const char *b) {
    static char buf[8][4096];
    static int next;
    char *out = buf[next++ % 8];
    snprintf(out, 4096, "%s%s", a, b);
    return out;
}

/* Host symlinks to outside: served as links with their text, never followed on the host. */
static void symlink_absolute(void) {
    if (!same(link_of("abs"), outside)) {
        escape("abs reads as '%s', not the host's link text", link_of("abs"));
    }
    struct stat st;
    if (lstat("abs", &st) != 0 || !S_ISLNK(st.st_mode)) {
        escape("abs is not a symlink in the guest");
    }
    read_at(AT_FDCWD, "abs/secret");
    read_at(AT_FDCWD, "secretlink");
    read_at(AT_FDCWD, cat(outside, "/secret")); /* the same path in the guest's own tree */
    held("links read back as links; following them stays in the guest");
}

static void symlink_relative_up(void) {
    if (!same(link_of("up"), "../outside")) {
        escape("up reads as '%s'", link_of("up"));
    }
    read_at(AT_FDCWD, "up/secret");
    read_at(AT_FDCWD, "../outside/secret");
    held("../outside resolves in the guest, above its mount point");
}

/* Links the guest makes itself are stored as text on the host, whatever they point at. */
static void symlink_made_by_the_guest(void) {
    const char *targets[] = {cat(outside, "/secret"), "../outside/secret", "../../../../../../../../etc/shadow",
                             "/proc/self/root/etc/shadow"};
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "mine%d", i);
        unlink(name);
        if (symlink(targets[i], name) != 0) {
            escape("symlink %s: %s", name, strerror(errno));
            return;
        }
        if (!same(link_of(name), targets[i])) {
            escape("%s reads back as '%s'", name, link_of(name));
        }
        read_at(AT_FDCWD, name);
    }
    held("4 links stored as text");
}

/* SETATTR on a symlink node: the daemon must change the link, never the file it names. */
static void setattr_on_a_symlink(void) {
    struct timespec times[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    const char *links[] = {"secretlink", "mine0"};
    int changed = 0;
    for (int i = 0; i < 2; i++) {
        if (utimensat(AT_FDCWD, links[i], times, AT_SYMLINK_NOFOLLOW) == 0) {
            changed++;
        }
        if (fchownat(AT_FDCWD, links[i], 4242, 4242, AT_SYMLINK_NOFOLLOW) == 0) {
            changed++;
        }
        fchmodat(AT_FDCWD, links[i], 0777, AT_SYMLINK_NOFOLLOW); /* EOPNOTSUPP on Linux */
        struct stat st;
        if (lstat(links[i], &st) == 0 && (!S_ISLNK(st.st_mode) || (changed && st.st_uid != 4242))) {
            escape("%s after lchown: mode %o uid %d", links[i], st.st_mode, st.st_uid);
        }
    }
    held("%d changes applied to the links themselves", changed);
}

/* `..` above the mount point is the guest's own tree; the share's root has no way up. */
static void dotdot_above_the_root(void) {
    struct stat mnt, up;
    if (stat(".", &mnt) != 0 || stat("..", &up) != 0) {
        escape("stat: %s", strerror(errno));
        return;
    }
    if (up.st_dev == mnt.st_dev) {
        escape("the share's .. is on the share's device");
    }
    read_at(AT_FDCWD, "../../../../outside/secret");
    read_at(AT_FDCWD, "race/../../outside/secret");
    DIR *d = opendir(".");
    int entries = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        entries++;
        if (strcmp(e->d_name, "outside") == 0 || strchr(e->d_name, '/')) {
            escape("the root lists '%s'", e->d_name);
        }
    }
    if (d) {
        closedir(d);
    }
    held("the root lists %d entries, none from outside", entries);
}

/* The host swaps race/ with racelink -> OUTSIDE while the guest reads, writes and creates in it. */
static void rename_race_directory_swapped_for_a_symlink(void) {
    int reads = 0, writes = 0, creates = 0;
    for (int i = 0; i < rounds; i++) {
        reads += read_at(AT_FDCWD, "race/secret");
        int fd = open("race/victim", O_WRONLY | O_TRUNC | O_NOFOLLOW);
        if (fd >= 0) {
            writes += write(fd, "guest\n", 6) == 6;
            close(fd);
        }
        fd = open("race/new", O_WRONLY | O_CREAT | O_EXCL, 0644);
        if (fd >= 0) {
            creates++;
            close(fd);
            unlink("race/new");
        }
        chmod("race/victim", 0600 | (i & 1) << 6);
        setxattr("race/victim", "user.race", "x", 1, 0);
        truncate("race/victim", 6);
    }
    held("%d reads, %d writes, %d creates while the host swapped", reads, writes, creates);
}

/* The host swaps flip/victim with flip/decoy -> OUTSIDE/victim while the guest changes it. */
static void rename_race_file_swapped_for_a_symlink(void) {
    int ops = 0;
    struct timespec times[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
    for (int i = 0; i < rounds; i++) {
        int fd = open("flip/victim", O_RDWR | O_NOFOLLOW);
        if (fd >= 0) {
            char buf[64];
            ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
            if (n > 0) {
                buf[n] = 0;
                if (strstr(buf, MARKER)) {
                    escape("read flip/victim: \"%s\"", buf);
                }
            }
            ops += pwrite(fd, "guest\n", 6, 0) == 6;
            ops += ftruncate(fd, 6) == 0;
            ops += fchmod(fd, 0640) == 0;
            close(fd);
        }
        ops += truncate("flip/victim", 6) == 0;
        ops += utimensat(AT_FDCWD, "flip/victim", times, AT_SYMLINK_NOFOLLOW) == 0;
        ops += lchown("flip/victim", 4243, 4243) == 0;
        ops += lsetxattr("flip/victim", "trusted.flip", "x", 1, 0) == 0;
    }
    held("%d changes while the host swapped", ops);
}

/*
 * On an overlay, the first write to cu/victim (a lower file) copies cu and victim up, while the
 * host keeps putting a symlink to outside where the upper cu is to be made.
 */
static void copy_up_race(void) {
    int writes = 0;
    for (int i = 0; i < rounds; i++) {
        int fd = open("cu/victim", O_WRONLY | O_APPEND | O_NOFOLLOW);
        if (fd >= 0) {
            writes += write(fd, "guest\n", 6) == 6;
            close(fd);
        }
        if (mkdir("cu/made", 0755) == 0) {
            rmdir("cu/made");
        }
        read_at(AT_FDCWD, "cu/victim");
        read_at(AT_FDCWD, "cu/secret");
    }
    held("%d appends while the host raced the copy-up", writes);
}

/* link(2) of a symlink links the symlink: a host file it names must not gain a link. */
static void hard_link_to_a_symlink(void) {
    const char *from[] = {"secretlink", "mine0", "abs"};
    int made = 0;
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof name, "hard%d", i);
        unlink(name);
        if (link(from[i], name) != 0) {
            continue;
        }
        made++;
        struct stat st;
        if (lstat(name, &st) != 0 || !S_ISLNK(st.st_mode)) {
            escape("%s, linked from %s, is no symlink", name, from[i]);
        }
        read_at(AT_FDCWD, name);
    }
    /* the same through AT_EMPTY_PATH on an O_PATH fd of the link */
    int fd = open("secretlink", O_PATH | O_NOFOLLOW);
    if (fd >= 0) {
        unlink("hard-empty");
        if (linkat(fd, "", AT_FDCWD, "hard-empty", AT_EMPTY_PATH) == 0) {
            made++;
            struct stat st;
            if (lstat("hard-empty", &st) != 0 || !S_ISLNK(st.st_mode)) {
                escape("hard-empty is no symlink");
            }
        }
        close(fd);
    }
    held("%d hard links, each to the symlink itself", made);
}

/* A hard link from the guest's own tree into the share: the guest VFS refuses (EXDEV). */
static void hard_link_across_mounts(void) {
    int fd = open("/tmp/confine-own", O_WRONLY | O_CREAT, 0644);
    if (fd >= 0) {
        close(fd);
    }
    if (link("/tmp/confine-own", "stolen") == 0) {
        escape("linked a guest tmpfs file into the share");
    }
    int err = errno;
    fd = open("/tmp/confine-own", O_RDONLY);
    if (linkat(fd, "", AT_FDCWD, "stolen", AT_EMPTY_PATH) == 0) {
        escape("linked a guest tmpfs fd into the share");
    }
    close(fd);
    held("%s", strerror(err));
}

/*
 * A procfs the host mounted inside the share: its self, root, cwd, exe and fd/N are magic links
 * into the daemon's own process. The daemon serves them as links (their text), and the guest
 * follows that text in its own tree; following them on the host would show the host's root.
 */
static void proc_magic_links(void) {
    struct stat st;
    if (lstat("proc/self", &st) != 0) {
        held("no procfs in this share");
        return;
    }
    if (!S_ISLNK(st.st_mode)) {
        escape("proc/self is not a link");
    }
    const char *self = link_of("proc/self");
    char base[4200];
    snprintf(base, sizeof base, "proc/%s", self ? self : "self");
    const char *magic[] = {"root", "cwd", "exe", "fd", "map_files"};
    int links = 0, followed = 0;
    for (int i = 0; i < 5; i++) {
        char p[4300], through[8400];
        snprintf(p, sizeof p, "%s/%s", base, magic[i]);
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
            links++;
        }
        snprintf(through, sizeof through, "%s%s/secret", p, outside);
        read_at(AT_FDCWD, through);
        snprintf(through, sizeof through, "%s/etc/hostname", p);
        read_at(AT_FDCWD, through);
    }
    char fds[4300];
    snprintf(fds, sizeof fds, "%s/fd", base);
    DIR *d = opendir(fds);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char p[4600];
        snprintf(p, sizeof p, "%s/%s", fds, e->d_name);
        if (lstat(p, &st) == 0 && S_ISLNK(st.st_mode)) {
            links++;
        }
        int fd = open(p, O_RDONLY | O_NONBLOCK);
        if (fd >= 0) {
            followed++;
            char buf[256];
            ssize_t n = read(fd, buf, sizeof buf - 1);
            if (n > 0) {
                buf[n] = 0;
                if (strstr(buf, MARKER)) {
                    escape("read %s: \"%.40s\"", p, buf);
                }
            }
            close(fd);
        }
    }
    if (d) {
        closedir(d);
    }
    read_at(AT_FDCWD, "proc/self/root/etc/shadow");
    held("%s: %d magic links served as links, %d fds opened in the guest's tree", base, links, followed);
}

/*
 * Handles with forged node ids: open_by_handle_at in the guest may only ever give a file of the
 * share. Node ids are small counters, the host's inode number of an outside file, and noise.
 */
static void forged_file_handles(void) {
    struct handle {
        struct file_handle h;
        unsigned char bytes[64];
    } real = {.h.handle_bytes = 64};
    int mount_id;
    if (name_to_handle_at(AT_FDCWD, "xa", &real.h, &mount_id, 0) != 0) {
        held("no file handles on this mount: %s", strerror(errno));
        return;
    }
    int mnt = open(".", O_RDONLY | O_DIRECTORY);
    struct stat share;
    fstat(mnt, &share);
    int opened = 0, refused = 0;
    unsigned long long seed = 88172645463325252ULL;
    for (int i = 0; i < 4096 + 64; i++) {
        unsigned long long node;
        uint32_t gen = 0;
        if (i < 4096) {
            node = (unsigned long long) i / 2 + 1;
            gen = i & 1;
        } else if (i < 4096 + 16) {
            node = secret_ino + (i - 4096) / 4;
            gen = (i - 4096) % 4;
        } else {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            node = seed;
            gen = (uint32_t) (seed >> 40);
        }
        struct handle forged = real;
        /* the FUSE handle: node id high and low words, then the generation */
        uint32_t words[3] = {(uint32_t) (node >> 32), (uint32_t) node, gen};
        memcpy(forged.h.f_handle, words, sizeof words);
        int fd = open_by_handle_at(mnt, &forged.h, O_RDONLY | O_NONBLOCK);
        if (fd < 0) {
            refused++;
            continue;
        }
        opened++;
        struct stat st;
        fstat(fd, &st);
        if (st.st_dev != share.st_dev) {
            escape("node %llu opened on another device", node);
        }
        if (S_ISREG(st.st_mode)) {
            char buf[256];
            ssize_t n = read(fd, buf, sizeof buf - 1);
            if (n > 0) {
                buf[n] = 0;
                if (strstr(buf, MARKER)) {
                    escape("node %llu gen %u read \"%.40s\"", node, gen, buf);
                }
            }
        }
        close(fd);
    }
    close(mnt);
    held("%d forged handles opened files of the share, %d refused", opened, refused);
}

/* xattr names that look like paths, overlayfs's own, the overlay provider's, oversized or unknown ones. */
static void xattr_names(void) {
    char longname[300];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "user.", 5);
    longname[sizeof longname - 1] = 0;
    const char *names[] = {"user.../../outside/secret", "user./etc/passwd", "trusted.overlay.redirect",
                           "trusted.overlay.opaque", "trusted.overlay.origin", "trusted.overlay.overlay.redirect",
                           "trusted.jvirtiofs.opaque", "user.jvirtiofs.whiteout", "security.capability",
                           "system.posix_acl_access", "noprefix", "", longname};
    const char *values[] = {"x", "x", "/../../outside", "y", "garbage", "/../../outside", "y", "y", "garbage",
                            "garbage", "x", "x", "x"};
    const int count = sizeof names / sizeof names[0];
    int set = 0, refused = 0;
    char before[4096];
    ssize_t listed = listxattr("xa", before, sizeof before);
    for (int i = 0; i < count; i++) {
        const char *targets[] = {"xa", "xdir", "secretlink"};
        for (int t = 0; t < 3; t++) {
            int ok = t == 2 ? lsetxattr(targets[t], names[i], values[i], strlen(values[i]), 0)
                            : setxattr(targets[t], names[i], values[i], strlen(values[i]), 0);
            ok == 0 ? set++ : refused++;
            char buf[256];
            lgetxattr(targets[t], names[i], buf, sizeof buf);
        }
    }
    /* a redirect or opaque marker the guest set must not change what the directory lists */
    DIR *d = opendir("xdir");
    int entries = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] != '.') {
            entries++;
            if (strcmp(e->d_name, "secret") == 0 || strcmp(e->d_name, "victim") == 0) {
                escape("xdir lists outside's '%s'", e->d_name);
            }
        }
    }
    if (d) {
        closedir(d);
    }
    if (entries != 1) {
        escape("xdir lists %d entries, not its one file", entries);
    }
    read_at(AT_FDCWD, "xdir/secret");
    held("%d set, %d refused; %zd bytes of names before", set, refused, listed);
}

int main(int argc, char **argv) {
    if (argc < 4) {
        fprintf(stderr, "usage: confine MNT OUTSIDE INO [ROUNDS]\n");
        return 2;
    }
    if (chdir(argv[1]) != 0) {
        perror(argv[1]);
        return 2;
    }
    outside = argv[2];
    secret_ino = strtoull(argv[3], NULL, 10);
    if (argc > 4) {
        rounds = atoi(argv[4]);
    }
    run("symlink-absolute", symlink_absolute);
    run("symlink-relative-up", symlink_relative_up);
    run("symlink-made-by-the-guest", symlink_made_by_the_guest);
    run("setattr-on-a-symlink", setattr_on_a_symlink);
    run("dotdot-above-the-root", dotdot_above_the_root);
    run("rename-race-directory-swapped-for-a-symlink", rename_race_directory_swapped_for_a_symlink);
    run("rename-race-file-swapped-for-a-symlink", rename_race_file_swapped_for_a_symlink);
    run("copy-up-race", copy_up_race);
    run("hard-link-to-a-symlink", hard_link_to_a_symlink);
    run("hard-link-across-mounts", hard_link_across_mounts);
    run("proc-magic-links", proc_magic_links);
    run("forged-file-handles", forged_file_handles);
    run("xattr-names", xattr_names);
    printf("JVFS-CONFINE: %d attacks, %d escaped\n", attacks, escapes);
    return escapes == 0 ? 0 : 1;
}

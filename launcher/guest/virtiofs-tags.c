/*
 * virtiofs-tags: prints the tag of every virtio-fs device the guest has, one per line as
 * "TAG PCI-ADDRESS". Linux 6.1 exposes no virtiofs tags in sysfs (that came with 6.9), so this
 * reads them where the device keeps them: the device-specific configuration structure of the
 * virtio-pci device (virtio 1.x, 4.1.4.6), found through the PCI capability list in
 * /sys/bus/pci/devices/X/config and mapped from the BAR it names (resourceN).
 * The guest boots with iomem=relaxed, so a BAR the virtio driver owns can still be mapped.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCI_DEVICES "/sys/bus/pci/devices"
#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_FS_MODERN_ID 0x105a /* 0x1040 + device type 26 */
#define PCI_STATUS 0x06
#define PCI_STATUS_CAP_LIST 0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_CAP_ID_VNDR 0x09
#define VIRTIO_PCI_CAP_DEVICE_CFG 4
#define TAG_LEN 36

static unsigned long read_hex(const char *dir, const char *name) {
    char path[512], buf[32] = {0};
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        return 0;
    }
    if (!fgets(buf, sizeof buf, f)) {
        buf[0] = 0;
    }
    fclose(f);
    return strtoul(buf, NULL, 16);
}

static uint32_t le32(const unsigned char *p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* Finds the device configuration's BAR and offset; 0 on success. */
static int device_cfg(const char *dir, int *bar, uint32_t *offset) {
    char path[512];
    unsigned char cfg[256];
    snprintf(path, sizeof path, "%s/config", dir);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return -1;
    }
    ssize_t n = read(fd, cfg, sizeof cfg);
    close(fd);
    if (n < 64 || !(cfg[PCI_STATUS] & PCI_STATUS_CAP_LIST)) {
        return -1;
    }
    int pos = cfg[PCI_CAPABILITY_LIST] & ~3;
    for (int hops = 0; pos >= 64 && pos + 16 <= n && hops < 48; hops++) {
        if (cfg[pos] == PCI_CAP_ID_VNDR && cfg[pos + 3] == VIRTIO_PCI_CAP_DEVICE_CFG) {
            *bar = cfg[pos + 4];
            *offset = le32(cfg + pos + 8);
            return 0;
        }
        pos = cfg[pos + 1] & ~3;
    }
    return -1;
}

/* Reads the 36-byte tag from the device configuration; 0 on success. */
static int read_tag(const char *dir, int bar, uint32_t offset, char tag[TAG_LEN + 1]) {
    char path[512];
    snprintf(path, sizeof path, "%s/resource%d", dir, bar);
    int fd = open(path, O_RDONLY | O_SYNC);
    if (fd < 0) {
        return -1;
    }
    long page = sysconf(_SC_PAGESIZE);
    off_t base = offset & ~(uint32_t)(page - 1);
    size_t len = (offset - base) + TAG_LEN;
    volatile unsigned char *map = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, base);
    close(fd);
    if (map == MAP_FAILED) {
        return -1;
    }
    /* byte reads: the configuration structure allows any access width for byte fields */
    for (int i = 0; i < TAG_LEN; i++) {
        tag[i] = (char)map[offset - base + i];
    }
    tag[TAG_LEN] = 0;
    munmap((void *)map, len);
    return 0;
}

int main(void) {
    DIR *d = opendir(PCI_DEVICES);
    if (!d) {
        perror(PCI_DEVICES);
        return 1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", PCI_DEVICES, e->d_name);
        if (read_hex(dir, "vendor") != VIRTIO_VENDOR || read_hex(dir, "device") != VIRTIO_FS_MODERN_ID) {
            continue;
        }
        int bar;
        uint32_t offset;
        char tag[TAG_LEN + 1];
        if (device_cfg(dir, &bar, &offset) != 0 || read_tag(dir, bar, offset, tag) != 0) {
            fprintf(stderr, "virtiofs-tags: cannot read the tag of %s\n", e->d_name);
            rc = 1;
            continue;
        }
        printf("%s %s\n", tag, e->d_name);
    }
    closedir(d);
    return rc;
}

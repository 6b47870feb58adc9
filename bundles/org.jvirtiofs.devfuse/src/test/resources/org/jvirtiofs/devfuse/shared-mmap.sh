# Maps the file f (at least 4 KiB, starting with 7 letters) privately and shared, writable; the
# shared mapping writes "written" over its start, then the file is read back. Prints what each
# step saw: a share at cache=never or metadata (direct I/O) refuses the shared mapping with ENODEV
# unless it allows it and the kernel does (DIRECT_IO_ALLOW_MMAP, Linux 6.6 and later).
python3 - <<'PY'
import mmap, os, sys
fd = os.open("f", os.O_RDWR)
private = mmap.mmap(fd, 4096, mmap.MAP_PRIVATE, mmap.PROT_READ | mmap.PROT_WRITE)
print("private:", private[0:7].decode())
try:
    m = mmap.mmap(fd, 4096, mmap.MAP_SHARED, mmap.PROT_READ | mmap.PROT_WRITE)
except OSError as e:
    print("shared:", os.strerror(e.errno))
    sys.exit()
m[0:7] = b"written"
m.flush()
m.close()
print("shared, then read:", os.pread(fd, 7, 0).decode())
PY

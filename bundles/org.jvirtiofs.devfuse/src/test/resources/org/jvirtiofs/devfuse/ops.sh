#!/usr/bin/env bash
# Real programs doing real work in the current directory. The tests run this once on tmpfs and
# once on a jvirtiofs mount and expect the same output, byte for byte.
set -u
export LC_ALL=C TZ=UTC
here=$PWD
step() {
  echo "== $*"
  "$@" 2>&1 | sed "s#$here#.#g"
  echo "rc=${PIPESTATUS[0]}"
}
sh=(bash -c)

# a real tree, copied and archived
step cp -a /usr/share/zoneinfo zi
step "${sh[@]}" 'tar -C /usr/share/doc -cf - bash coreutils findutils | tar -xf -'
step "${sh[@]}" 'tar -cf tree.tar zi && mkdir untar && tar -C untar -xf tree.tar && cmp <(cd zi && find . | sort) <(cd untar/zi && find . | sort)'
step "${sh[@]}" 'find zi -type f | wc -l; find . -name "*.gz" | wc -l'

# files: create, append, read, rename, links
step mkdir -p a/b/c
step "${sh[@]}" 'echo hello > a/f && echo more >> a/f && cat a/f'
step mv a/f a/b/g
step ln a/b/g a/hard
step ln -s ../a/b/g a/sym
step readlink a/sym
step cat a/sym
step ln -s dangling a/broken
step cat a/broken
step mv a/b/g a/b/c
step mv -T a/b/c a/hard
step mv a/b/c/g a/b/g
step rmdir a
step rmdir a/b/c
step rm a/b/c

# special files
step mkfifo a/fifo
step mknod a/null c 1 3
step mknod a/blk b 7 0
step "${sh[@]}" 'echo discarded > a/null; stat -c "%F %t:%T %a" a/null a/blk a/fifo'

# sizes, sparse files and holes
step truncate -s 1M a/sparse
step dd if=/usr/share/zoneinfo/UTC of=a/sparse bs=1 seek=500000 conv=notrunc status=none
step truncate -s 100 a/b/g
step "${sh[@]}" 'od -c a/b/g | head -3; cmp a/sparse a/sparse && sha256sum a/sparse a/b/g'
step dd if=/dev/zero of=a/big bs=64k count=40 status=none
step "${sh[@]}" 'head -c 3000000 /usr/share/doc/bash/*.gz > /dev/null; cat zi/* 2>/dev/null | head -c 2500000 > a/cat; sha256sum a/cat a/big'
step truncate -s 10 a/big
step stat -c '%s' a/big a/sparse

# metadata
step chmod 640 a/b/g
step chmod u+s,g+s a/hard
step chown 1000:1000 a/hard
step touch -d '2020-01-02 03:04:05.123456789' a/b/g
step touch -a -d '2021-02-03 04:05:06.5' a/b/g
step stat -c '%A %s %h %u %g mtime=%y atime=%x' a/b/g a/hard

# xattrs
step setfattr -n user.color -v blue a/b/g
step setfattr -n user.empty a/b/g
step getfattr -n user.color a/b/g
step getfattr -d a/b/g
step setfattr -x user.color a/b/g
step getfattr -n user.color a/b/g
step setfattr -x user.nothing a/b/g

# locks and errors
step flock -n a/b/g true
step "${sh[@]}" 'flock a/b/g sleep 1 & sleep 0.3; flock -n a/b/g true; echo "second flock rc=$?"; wait'
step mkdir a/b
step ln a/b a/dirlink
step cat a/b
step ls nonexistent

# the tree changes
step mv zi/Europe zi/Europa
step rm -r zi/America
step cp -a zi/Asia zi/Asia2
step rm -rf untar tree.tar
step "${sh[@]}" 'for i in $(seq 1 300); do echo $i > many.$i; done; ls | wc -l; rm many.*; ls | wc -l'

# direct I/O, as dd and databases ask for it (tmpfs takes O_DIRECT since Linux 6.6)
step dd if=/dev/urandom of=a/direct bs=64k count=16 oflag=direct status=none
step dd if=a/direct of=a/direct.copy bs=64k iflag=direct status=none
step cmp a/direct a/direct.copy
step rm a/direct a/direct.copy

# a scripting language's view: seeks, holes, positional I/O
py=$(command -v python3 || true)
if [ -n "$py" ]; then
  step "$py" - <<'PY'
import os
fd = os.open("a/holes", os.O_RDWR | os.O_CREAT, 0o644)
os.pwrite(fd, b"x" * 10, 0)
os.pwrite(fd, b"y" * 10, 3 * 1024 * 1024)
print("size", os.fstat(fd).st_size)
print("hole at", os.lseek(fd, 0, os.SEEK_HOLE) < 3 * 1024 * 1024)
print("data at", os.lseek(fd, 1024 * 1024, os.SEEK_DATA) <= 3 * 1024 * 1024)
print(os.pread(fd, 4, 3 * 1024 * 1024 - 2))
os.ftruncate(fd, 5)
print(os.pread(fd, 100, 0))
os.close(fd)
os.rename("a/holes", "a/holes2")
print(sorted(os.listdir("a")))
PY
fi

#!/bin/sh
# Builds the layer trees of the overlay differential tests under DIR (run as root on the host):
#   DIR/l1  the top lower layer, DIR/l2 the bottom one, DIR/u0 an upper to start from,
# with whiteouts and opaque directories in the overlayfs format (the kernel's), and
#   DIR/oci/{base,app,top}  the same kind of tree as OCI image layers (.wh. files).
set -eu
d=$1
mkdir -p "$d/l1" "$d/l2" "$d/u0" "$d/oci/base" "$d/oci/app" "$d/oci/top"

cd "$d/l2"
echo alpha > a.txt
mkdir -p dir/sub deldir emptydir opq
echo x-bottom > dir/x.txt
echo y > dir/y.txt
echo z > dir/sub/z.txt
echo hard > hl1
ln hl1 hl2
ln -s a.txt link
echo gone > gone.txt
echo old > opq/old.txt
echo secret > mode600
chmod 600 mode600
chown 1234:5678 mode600
echo owned > owned
chmod 640 owned
chown 2345:6789 owned
echo colored > colored
setfattr -n user.color -v blue colored
head -c 1048576 /dev/urandom > big.bin
echo f1 > deldir/f1
echo f2 > deldir/f2
touch -d '2001-02-03 04:05:06' a.txt dir/x.txt colored
mkdir many tdir
i=0
while [ $i -lt 400 ]; do : > "many/file-$i"; i=$((i + 1)); done
echo t1 > tdir/t1

cd "$d/l1"
echo alpha-top > a.txt
mkdir -p dir opq
echo x-top > dir/x.txt
echo new > dir/new.txt
mknod gone.txt c 0 0
setfattr -n trusted.overlay.opaque -v y opq
echo new-in-opq > opq/new.txt
touch -d '2001-02-03 04:05:06' a.txt dir/x.txt
mkdir many tdir
i=350
while [ $i -lt 500 ]; do echo top > "many/file-$i"; i=$((i + 1)); done
i=0
while [ $i -lt 350 ]; do mknod "many/file-$i" c 0 0; i=$((i + 7)); done
mknod tdir/t1 c 0 0

cd "$d/u0"
echo upper > upper.txt
mkdir dir
echo up > dir/up.txt
mknod dir/y.txt c 0 0

# OCI layers, bottom to top: base <- app <- top
cd "$d/oci/base"
mkdir -p etc usr/lib var/cache
echo base-config > etc/config
echo lib > usr/lib/libfoo.so
echo cached > var/cache/c1
echo keep > etc/keep
cd "$d/oci/app"
mkdir -p etc var/cache app
echo app-config > etc/config
: > etc/.wh.keep
: > var/cache/.wh..wh..opq
echo fresh > var/cache/c2
echo main > app/main
cd "$d/oci/top"
mkdir -p usr app
: > usr/.wh.lib
echo extra > app/extra

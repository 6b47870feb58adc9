#!/bin/sh
# The part of the differential script that needs GNU tools (getfattr/setfattr, mv -T, touch -d),
# run on the host only, after script.sh: sh host-script.sh DIR
cd "$1" || exit 1
LC_ALL=C
export LC_ALL
step() {
    name=$1
    shift
    if out=$("$@" 2>/dev/null); then echo "$name: ok"; else echo "$name: fail"; fi
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  /'
    return 0
}
step get-lower getfattr --only-values -n user.color colored
step list-opq getfattr -d -m - opq
step set-lower setfattr -n user.size -v big big.bin
step get-set getfattr -d -m - big.bin
step replace setfattr -n user.color -v red colored
step get-replaced getfattr -d -m - colored
step remove setfattr -x user.color colored
step get-removed getfattr -d -m - colored
step remove-missing setfattr -x user.none mode600
step set-dir setfattr -n user.tag -v d opq
step list-dir getfattr -d -m - opq
step set-private setfattr -n trusted.overlay.opaque -v y opq
step list-private getfattr -d -m - opq
step get-escaped getfattr --only-values -n trusted.overlay.opaque opq
step list-after ls -a opq
step remove-escaped setfattr -x trusted.overlay.opaque opq
step list-removed getfattr -d -m - opq
step set-trusted setfattr -n trusted.color -v green mode600
step get-trusted getfattr -d -m - mode600
step mv-onto-empty-merged mv -T newdir2 tdir
step list-tdir ls -a tdir
step cat-tdir-f cat tdir/f
step touch-lower touch -d '2010-05-06 07:08:09' big.bin
step mtime-lower stat -c %Y big.bin
step touch-dir touch -d '2011-05-06 07:08:09' opq
step mtime-dir stat -c %Y opq

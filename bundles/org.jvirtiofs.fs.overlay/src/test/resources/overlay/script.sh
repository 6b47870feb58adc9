#!/bin/sh
# The overlay differential script: the same operations on a merged tree, printing what they
# see. Run as root: sh script.sh DIR. The kernel's overlayfs and jvirtiofs must print the same.
cd "$1" || exit 1
LC_ALL=C
export LC_ALL

step() { # step NAME COMMAND...: prints NAME: ok|fail, and the command's output
    name=$1
    shift
    if out=$("$@" 2>/dev/null); then echo "$name: ok"; else echo "$name: fail"; fi
    [ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/  /'
    return 0
}
same() { # same NAME A B
    if [ "$2" = "$3" ]; then echo "$1: same"; else echo "$1: changed"; fi
}
list() {
    ls -a "$1" 2>/dev/null | sort | tr '\n' ' '
    echo
}

echo "== reads"
step cat-a cat a.txt
step cat-x cat dir/x.txt
step cat-y cat dir/y.txt
step cat-gone cat gone.txt
step cat-opq-old cat opq/old.txt
step cat-opq-new cat opq/new.txt
step cat-link cat link
step readlink readlink link
echo "root: $(list .)"
echo "dir: $(list dir)"
echo "opq: $(list opq)"

echo "many: $(ls many | wc -l) $(ls many | md5sum | cut -c1-32)"
step cat-many-top cat many/file-499
step cat-many-gone cat many/file-7
step cat-many-low cat many/file-8

echo "== copy-up"
i1=$(stat -c %i a.txt)
m1=$(stat -c %Y a.txt)
step append sh -c 'echo more >> a.txt'
same ino-after-append "$i1" "$(stat -c %i a.txt)"
step cat-a2 cat a.txt
m2=$(stat -c %Y dir/x.txt)
step chmod chmod 640 dir/x.txt
same mtime-after-chmod "$m2" "$(stat -c %Y dir/x.txt)"
step stat-x stat -c '%a %u %g %s' dir/x.txt
step chown chown 42:43 mode600
step stat-mode600 stat -c '%a %u %g %s' mode600
step cat-mode600 cat mode600
step append-owned sh -c 'echo more >> owned'
step stat-owned stat -c '%a %u %g %s' owned
step overwrite-big dd if=/dev/zero of=big.bin bs=4096 count=1 seek=10 conv=notrunc
step md5-big md5sum big.bin
step truncate-colored sh -c ': > colored'
step size-colored stat -c %s colored
exec 3< dir/sub/z.txt
step write-while-open sh -c 'echo changed > dir/sub/z.txt'
step read-old-open cat <&3
exec 3<&-

step link-lower ln mode600 mode600-link
step nlink-new stat -c %h mode600 mode600-link
step mkfifo mkfifo pipe
step fifo-type sh -c '[ -p pipe ] && echo fifo'
step touch-ref touch -r colored dir/sub/z.txt
same mtime-ref "$(stat -c %Y colored)" "$(stat -c %Y dir/sub/z.txt)"
step rm-many sh -c 'rm many/file-1*'
echo "many: $(ls many | wc -l) $(ls many | md5sum | cut -c1-32)"

echo "== hard links"
step append-hl1 sh -c 'echo linked >> hl1'
step cat-hl2 cat hl2
step nlink stat -c %h hl1 hl2
same hl-ino "$(stat -c %i hl1)" "$(stat -c %i hl2)"

echo "== deletes"
step rm-x rm dir/x.txt
step cat-x-again cat dir/x.txt
step rm-upper rm upper.txt
step rm-link rm link
echo "dir: $(list dir)"
step rmdir-nonempty rmdir deldir
step rm-deldir rm -r deldir
step rmdir-empty rmdir emptydir
echo "root: $(list .)"

echo "== over whiteouts"
step mkdir-over mkdir deldir
echo "deldir: $(list deldir)"
step create-in sh -c 'echo n > deldir/n'
echo "deldir: $(list deldir)"
step file-over sh -c 'echo back > gone.txt'
step cat-gone2 cat gone.txt
step symlink-over ln -s a.txt link
step readlink2 readlink link
step mkdir-y mkdir dir/y.txt
echo "dir/y.txt: $(list dir/y.txt)"

echo "== renames"
step mv-file mv dir/new.txt moved.txt
step cat-moved cat moved.txt
step mv-lower-dir mv dir dir2
echo "dir2: $(list dir2)"
step cat-z cat dir2/sub/z.txt
step mkdir-new mkdir newdir
step create-new sh -c 'echo x > newdir/f'
step mv-upper-dir mv newdir newdir2
echo "newdir2: $(list newdir2)"
step mv-over mv moved.txt a.txt
step cat-a3 cat a.txt
step mv-lower-over-lower mv many/file-2 many/file-3
step cat-file-3 cat many/file-3
step cat-file-2 cat many/file-2
step mv-opaque-dir mv deldir deldir2
echo "deldir2: $(list deldir2)"
step cat-old-deldir ls deldir
step mv-back mv deldir2 deldir
echo "deldir: $(list deldir)"
step mv-symlink mv link link2
step readlink-moved readlink link2
step mv-noent mv nothing here
step rmdir-dir2 rmdir dir2
echo "root: $(list .)"

echo "== tree"
echo "many: $(ls -la many | grep -v '^total' | sed 's/  */ /g' | cut -d' ' -f1,2,5,9 | md5sum | cut -c1-32)"
find . -path ./many -prune -o -print | sort | while read -r p; do
    if [ -p "$p" ]; then
        echo "$p p $(stat -c '%a %u %g' "$p")"
    elif [ -L "$p" ]; then
        echo "$p l $(readlink "$p")"
    elif [ -d "$p" ]; then
        echo "$p d $(stat -c '%a %u %g' "$p")"
    else
        echo "$p f $(stat -c '%a %u %g %s %h' "$p") $(md5sum < "$p" | cut -c1-32)"
    fi
done
